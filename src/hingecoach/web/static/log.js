// @ts-check
/* The Log page: tick sets off, keep the draft (in this browser and on the server), the
 * rest timer, and a save that is sent once, now or when the connection returns.
 *
 * State lives in localStorage under "hc-log:<account id>": the session's key, the signed
 * sheet, a revision that grows with each change, the entries by set key, the revision the
 * server has confirmed ("sent"), and a save waiting for the connection. The rest timer
 * keeps the wall-clock time it ends at ("hc-rest:<account id>"), so a locked screen or a
 * background tab does not stop it: the time left is always computed from the clock.
 */

const SYNC_DELAY_MS = 300;
const RETRY_MS = 5000;
const EXTEND_S = 30;

/* An entry's load is in the trainee's own unit (kg or lb); the server reads it as kg. */
/** @typedef {{status: string, amount: number|null, load: number|null, rpe: number|null,
 *   form: string, pain: number, pain_quality: string[]}} Entry */
/** @typedef {{key: string, token: string, date: string, revision: number, sent: number,
 *   entries: Record<string, Entry>, changed: Record<string, number>, notes: string,
 *   queuedSave: boolean}} State */

/** @param {string} id */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el;
}

function csrfToken() {
  const input = /** @type {HTMLInputElement|null} */ (
    document.querySelector('input[name="csrftoken"]')
  );
  return input ? input.value : "";
}

// ------------------------------------------------------------------ saved page

const saved = document.getElementById("log-saved");
if (saved) {
  // the session is stored: forget the copy kept on this device
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const name = localStorage.key(i) || "";
    if (!name.startsWith("hc-log:")) continue;
    try {
      const kept = JSON.parse(localStorage.getItem(name) || "{}");
      if (kept.key === saved.dataset.key) localStorage.removeItem(name);
    } catch {
      localStorage.removeItem(name);
    }
  }
} else if (document.getElementById("log-sheet")) {
  startLog();
}

function startLog() {
  const data = JSON.parse(byId("log-data").textContent || "{}");
  const STORE = `hc-log:${data.uid}`;
  const REST = `hc-rest:${data.uid}`;
  const rows = /** @type {HTMLElement[]} */ ([...document.querySelectorAll(".sheet-set")]);
  const byKey = new Map(rows.map((row) => [row.dataset.key || "", row]));
  const form = /** @type {HTMLFormElement} */ (byId("log-save"));
  const net = byId("net");
  /** @type {number|undefined} */
  let syncTimer;
  let syncing = false;
  let online = navigator.onLine;

  /** @returns {State} */
  function chooseState() {
    /** @type {State} */
    const server = {
      key: data.key,
      token: data.token,
      date: data.date,
      revision: data.revision,
      sent: data.revision,
      entries: data.entries || {},
      changed: {},
      notes: data.notes || "",
      queuedSave: false,
    };
    /** @type {State|null} */
    let local = null;
    try {
      local = JSON.parse(localStorage.getItem(STORE) || "null");
    } catch {
      local = null;
    }
    if (!local || local.date !== data.date) return server;
    const unsent = local.revision > local.sent || local.queuedSave;
    if (local.key === server.key) return local.revision >= server.revision ? local : server;
    // another session's copy: keep it if it holds work the server has not seen
    return unsent || (!data.has_draft && Object.keys(local.entries).length) ? local : server;
  }

  let state = chooseState();

  function store() {
    localStorage.setItem(STORE, JSON.stringify(state));
  }

  /** @param {HTMLElement} row @param {string} cls */
  function q(row, cls) {
    return /** @type {HTMLInputElement|HTMLSelectElement|null} */ (row.querySelector(cls));
  }

  /** @param {HTMLElement} row @returns {Entry} */
  function readRow(row) {
    const num = (/** @type {string} */ cls) => {
      const el = q(row, cls);
      return el && el.value !== "" ? Number(el.value) : null;
    };
    const sharp = /** @type {HTMLInputElement|null} */ (row.querySelector(".sharp"));
    const formEl = q(row, ".form-rating");
    return {
      status: row.dataset.status || "open",
      amount: num(".amount"),
      load: num(".load"),
      rpe: num(".rpe"),
      form: formEl ? formEl.value : "clean",
      pain: num(".pain") || 0,
      pain_quality: sharp && sharp.checked ? ["sharp"] : [],
    };
  }

  /** @param {HTMLElement} row @param {Entry} entry */
  function showRow(row, entry) {
    const set = (/** @type {string} */ cls, /** @type {unknown} */ value) => {
      const el = q(row, cls);
      if (el && value !== null && value !== undefined) el.value = String(value);
    };
    set(".amount", entry.amount);
    set(".load", entry.load);
    set(".rpe", entry.rpe ?? "");
    set(".form-rating", entry.form);
    set(".pain", entry.pain);
    const sharp = /** @type {HTMLInputElement|null} */ (row.querySelector(".sharp"));
    if (sharp) sharp.checked = entry.pain_quality.length > 0;
    markRow(row, entry.status);
  }

  /** @param {HTMLElement} row @param {string} status */
  function markRow(row, status) {
    row.dataset.status = status;
    row.classList.toggle("done", status === "done");
    row.classList.toggle("skipped", status === "skipped");
    const tick = /** @type {HTMLButtonElement} */ (row.querySelector(".tick"));
    tick.setAttribute("aria-pressed", String(status === "done"));
    tick.textContent = status === "done" ? "Done ✓" : status === "skipped" ? "Do it" : "Done";
    const label = row.querySelector(".set-state");
    if (label) label.textContent = status === "skipped" ? "skipped" : "";
  }

  /** @param {string} key */
  function change(key) {
    const row = byKey.get(key);
    if (!row) return;
    state.revision += 1;
    state.entries[key] = readRow(row);
    state.changed[key] = state.revision;
    store();
    showStatus();
    scheduleSync();
  }

  function doneCount() {
    return Object.values(state.entries).filter((e) => e.status === "done").length;
  }

  function waiting() {
    return Object.entries(state.entries).filter(
      ([key, e]) => e.status === "done" && (state.changed[key] || 0) > state.sent,
    ).length;
  }

  function showStatus() {
    const n = doneCount();
    byId("save-summary").textContent = n
      ? `${n} ${n === 1 ? "set" : "sets"} done so far.`
      : "Tick each set when you have done it.";
    byId("save-button").textContent = `Save the session (${n} ${n === 1 ? "set" : "sets"})`;
    const wait = waiting();
    if (!online) {
      net.hidden = false;
      net.textContent =
        `You are offline. ${wait} ${wait === 1 ? "set waits" : "sets wait"} to be sent; ` +
        "they are kept on this device and sent when the connection returns." +
        (state.queuedSave ? " The session is saved here and will be sent then too." : "");
    } else if (state.queuedSave || wait) {
      net.hidden = false;
      net.textContent = `Sending ${wait} ${wait === 1 ? "set" : "sets"}…`;
    } else {
      net.hidden = true;
      net.textContent = "";
    }
  }

  // ---------------------------------------------------------------- the server's draft

  function scheduleSync() {
    window.clearTimeout(syncTimer);
    syncTimer = window.setTimeout(sync, SYNC_DELAY_MS);
  }

  function entriesToSend() {
    return state.entries;
  }

  async function sync() {
    if (syncing) return scheduleSync();
    if (state.queuedSave) return sendSave();
    if (state.revision <= state.sent) return;
    syncing = true;
    const revision = state.revision;
    try {
      const response = await fetch("/log/draft", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrftoken": csrfToken() },
        body: JSON.stringify({
          key: state.key,
          token: state.token,
          revision,
          entries: entriesToSend(),
          notes: state.notes,
        }),
      });
      if (!response.ok) throw new Error(`draft: ${response.status}`);
      const answer = await response.json();
      setOnline(true);
      if (answer.status === "saved") {
        localStorage.removeItem(STORE);
        window.location.assign(`/log/saved/${state.key}`);
        return;
      }
      state.sent = Math.max(state.sent, Math.min(revision, answer.revision));
      store();
      showAdvice(answer.advice);
    } catch (err) {
      if (err instanceof TypeError) setOnline(false);  // no connection
      window.setTimeout(sync, RETRY_MS);
    } finally {
      syncing = false;
      showStatus();
    }
  }

  /** @param {boolean} value */
  function setOnline(value) {
    online = value;
    showStatus();
  }

  // ---------------------------------------------------------------- the coach in the session

  /** @param {any} advice */
  function showAdvice(advice) {
    const box = document.getElementById("advice");
    if (!box || !advice) return;
    box.innerHTML = advice.html || "";
    const primaryRows = rows.filter((r) => r.dataset.primary === "1");
    if (advice.stop) {
      for (const row of rows) {
        if (row.dataset.hinge === "1" && (row.dataset.status || "open") === "open") {
          markRow(row, "skipped");
          state.entries[row.dataset.key || ""] = readRow(row);
        }
      }
      store();
      return;
    }
    const next = advice.next;
    const open = primaryRows.find((r) => (r.dataset.status || "open") === "open");
    if (!next || !open || state.entries[open.dataset.key || ""]) return;
    const amount = q(open, ".amount");
    const load = q(open, ".load");
    const value = open.dataset.timed === "1" ? next.seconds : next.reps;
    if (amount && value !== null) amount.value = String(value);
    if (load && next.load !== null) load.value = String(next.load);
    if (next.rest_s !== undefined) open.dataset.rest = String(next.rest_s);
  }

  // ---------------------------------------------------------------- the rest timer

  const restBox = byId("rest");
  const restTime = byId("rest-time");
  /** @type {{endAt: number, alerted: boolean}|null} */
  let rest = null;
  try {
    rest = JSON.parse(localStorage.getItem(REST) || "null");
  } catch {
    rest = null;
  }

  /** @param {number} seconds */
  function startRest(seconds) {
    if (seconds <= 0) return;
    rest = { endAt: Date.now() + seconds * 1000, alerted: false };
    localStorage.setItem(REST, JSON.stringify(rest));
    tickRest();
  }

  function stopRest() {
    rest = null;
    localStorage.removeItem(REST);
    restBox.hidden = true;
    restBox.classList.remove("over");
  }

  function alertRestOver() {
    try {
      const Ctx = window.AudioContext || /** @type {any} */ (window).webkitAudioContext;
      if (Ctx) {
        const ctx = new Ctx();
        const tone = ctx.createOscillator();
        tone.frequency.value = 880;
        tone.connect(ctx.destination);
        tone.start();
        tone.stop(ctx.currentTime + 0.3);
      }
    } catch {
      /* no sound allowed: the screen still says so */
    }
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }

  function tickRest() {
    if (!rest) return;
    const left = Math.ceil((rest.endAt - Date.now()) / 1000);
    restBox.hidden = false;
    if (left > 0) {
      restBox.classList.remove("over");
      restTime.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      restBox.setAttribute("aria-label", `Rest: ${left} seconds left`);
      return;
    }
    restBox.classList.add("over");
    restTime.textContent = "Rest over: next set";
    restBox.setAttribute("aria-label", "Rest over");
    if (!rest.alerted) {
      rest.alerted = true;
      localStorage.setItem(REST, JSON.stringify(rest));
      alertRestOver();
    }
  }

  byId("rest-skip").addEventListener("click", stopRest);
  byId("rest-more").addEventListener("click", () => {
    if (!rest) return;
    rest = { endAt: Math.max(rest.endAt, Date.now()) + EXTEND_S * 1000, alerted: false };
    localStorage.setItem(REST, JSON.stringify(rest));
    tickRest();
  });
  window.setInterval(tickRest, 250);
  document.addEventListener("visibilitychange", tickRest);
  tickRest();

  // ---------------------------------------------------------------- the sheet

  for (const row of rows) {
    const key = row.dataset.key || "";
    const entry = state.entries[key];
    if (entry) showRow(row, entry);
    else markRow(row, "open");
    row.querySelector(".tick")?.addEventListener("click", () => {
      const was = row.dataset.status || "open";
      markRow(row, was === "done" ? "open" : "done");
      change(key);
      if (was !== "done") {
        const restS = Number(row.dataset.rest || "0");
        if (row.dataset.kind !== "warm-up" && restS > 0) startRest(restS);
        else if (restS === 0) stopRest();  // superset: straight into the next one
      }
    });
    for (const input of row.querySelectorAll("input, select")) {
      input.addEventListener("change", () => change(key));
    }
  }

  for (const button of /** @type {HTMLButtonElement[]} */ ([
    ...document.querySelectorAll(".skip-exercise"),
  ])) {
    const mine = rows.filter(
      (r) => r.dataset.exerciseId === button.dataset.exerciseId &&
        r.dataset.part === button.dataset.part,
    );
    const label = () => {
      const skipped = mine.every((r) => r.dataset.status === "skipped");
      button.textContent = skipped ? `Undo skip of ${button.dataset.name}` : `Skip ${button.dataset.name}`;
      return skipped;
    };
    label();
    button.addEventListener("click", () => {
      const undo = mine.every((r) => r.dataset.status === "skipped");
      for (const row of mine) {
        const status = row.dataset.status || "open";
        if (undo) markRow(row, "open");
        else if (status === "open") markRow(row, "skipped");
        change(row.dataset.key || "");
      }
      label();
    });
  }

  const notes = /** @type {HTMLTextAreaElement} */ (form.elements.namedItem("notes"));
  notes.value = state.notes;
  notes.addEventListener("change", () => {
    state.notes = notes.value;
    state.revision += 1;
    store();
    scheduleSync();
  });

  // ---------------------------------------------------------------- save, once

  function fillForm() {
    /** @param {string} name @param {string} value */
    const put = (name, value) => {
      const el = /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
      el.value = value;
    };
    put("key", state.key);
    put("token", state.token);
    put("entries_json", JSON.stringify(state.entries));
    put("notes", state.notes);
  }

  async function sendSave() {
    fillForm();
    syncing = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "x-csrftoken": csrfToken() },
      });
      setOnline(true);
      if (response.redirected && response.url.includes("/log/saved/")) {
        localStorage.removeItem(STORE);
        window.location.assign(response.url);
        return;
      }
      // refused (nothing ticked, a load not owned...): show the server's page as it is
      state.queuedSave = false;
      store();
      document.open();
      document.write(await response.text());
      document.close();
    } catch (err) {
      setOnline(false);
      state.queuedSave = true;
      store();
      window.setTimeout(sync, RETRY_MS);
    } finally {
      syncing = false;
      showStatus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = /** @type {HTMLButtonElement} */ (byId("save-button"));
    button.disabled = true;  // a double tap sends one save (and the key makes it one anyway)
    state.notes = notes.value;
    state.queuedSave = true;
    store();
    sendSave().finally(() => {
      button.disabled = false;
    });
  });

  window.addEventListener("online", () => {
    setOnline(true);
    sync();
  });
  window.addEventListener("offline", () => setOnline(false));

  if (state.key === data.key) showAdvice(data.advice);
  showStatus();
  if (state.queuedSave || state.revision > state.sent) sync();
}
