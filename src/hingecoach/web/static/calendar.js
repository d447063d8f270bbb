// @ts-check
// Account -> Calendar: copy the subscription link; offer this device's time zone.

const copyButton = document.querySelector("[data-copy]");
if (copyButton instanceof HTMLButtonElement) {
  copyButton.addEventListener("click", async () => {
    const field = document.getElementById(copyButton.dataset.copy || "");
    const said = document.getElementById("copied");
    if (!(field instanceof HTMLInputElement)) return;
    try {
      await navigator.clipboard.writeText(field.value);
      if (said) said.textContent = "Copied. Paste it into your calendar app.";
    } catch {
      field.focus();
      field.select(); // no clipboard (an insecure page, or refused): select it to copy by hand
      if (said) said.textContent = "Selected: copy it with your keyboard or a long press.";
    }
  });
}

const zoneField = document.getElementById("time-zone");
const useZone = document.getElementById("use-device-zone");
const zoneRow = document.getElementById("device-zone");
const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zoneField instanceof HTMLInputElement && useZone && zoneRow && deviceZone) {
  if (zoneField.value !== deviceZone) {
    useZone.textContent = `Use this device's time zone (${deviceZone})`;
    zoneRow.hidden = false;
  }
  useZone.addEventListener("click", () => {
    zoneField.value = deviceZone;
    zoneRow.hidden = true;
  });
}
