// @ts-check
/* Every signed-in page: install the service worker (Today, Log and Plan then open
 * offline) and say plainly when the page is offline. The Log page says more (#net). */
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    /* no service worker (a private window, an old browser): the app works online */
  });
}

function showOffline() {
  const banner = document.getElementById("offline");
  if (!banner || document.getElementById("net")) return;
  banner.hidden = navigator.onLine;
}
window.addEventListener("online", showOffline);
window.addEventListener("offline", showOffline);
showOffline();
