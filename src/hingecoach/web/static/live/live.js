// The live page: the camera -> MediaPipe PoseLandmarker in this browser -> the landmarks over
// the /live/ws WebSocket (docs/live-protocol.md) -> the coach's events shown and spoken.
// Where the model cannot run here, small JPEG frames go to the server instead.
// Runtime and models are served by the app itself (static/vendor/, from `make setup`).

const cfg = JSON.parse(document.getElementById("live-config").textContent);
const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

const ui = {
  root: $("live"),
  exercise: $("live-exercise"),
  dose: $("live-dose"),
  video: $("live-video"),
  canvas: $("live-canvas"),
  intro: $("live-intro"),
  reps: $("live-reps"),
  repsOf: $("live-reps-of"),
  view: $("live-view"),
  cue: $("live-cue"),
  down: $("live-down"),
  up: $("live-up"),
  status: $("live-status"),
  start: $("live-start"),
  end: $("live-end"),
  sound: $("live-sound"),
  cues: $("live-cues"),
  summary: $("live-summary"),
  summaryTitle: $("live-summary-title"),
  summaryText: $("live-summary-text"),
  summaryFaults: $("live-summary-faults"),
  log: $("live-log"),
  load: $("live-load"),
  logSubmit: $("live-log-submit"),
  discard: $("live-discard"),
  next: $("live-next"),
  decisionTitle: $("live-decision-title"),
  decisionReason: $("live-decision-reason"),
  nextSet: $("live-next-set"),
  rest: $("live-rest"),
  again: $("live-again"),
  privacy: $("live-privacy"),
};

// What the page is doing, for people (the status line) and for the browser tests.
const debug = {
  state: "setup",
  mode: null, // "landmarks" (pose here) or "images" (pose on the server)
  model: null,
  delegate: null,
  poseFps: 0,
  framesSent: 0,
  imagesSent: 0,
  skipped: 0,
  spoken: [],
  events: [],
  error: null,
};
window.hingecoachLive = debug;

const OPEN = 1;
const MAX_SEND_FPS = 30; // the server analyses 30 a second and takes at most twice that
const MIN_SEND_FPS = 5;
const IMAGE_FPS = 5; // server-side pose is costly: a low rate, lowered again if it drops
const IMAGE_LONG_SIDE = 480; // the protocol allows 640; the model works on 256
const IMAGE_MAX_BYTES = 100_000;
const BUFFER_LIMIT = 64 * 1024; // bytes waiting in the socket: past this, skip a frame
const SLOW_GPU_FPS = 8; // a GPU delegate slower than this (a software GL) gives way to the CPU

let target = cfg.target || {};
let state = "setup";
let vision = null; // the tasks-vision module
let fileset = null;
let landmarker = null;
let modelInfo = null;
let switching = false;
let stream = null;
let socket = null;
let running = false;
let sendFps = MAX_SEND_FPS;
let imageFps = IMAGE_FPS;
let lastSent = -Infinity;
let lastClock = 0;
let poseFrames = 0;
let poseSince = 0;
let repsCounted = 0;
let lastEnd = null;
let wakeLock = null;
let restTimer = null;
let endTimer = null;
let reconnects = 0;
let viewProblem = null;
let targetSaid = false;
let soundOn = localStorage.getItem("hingecoach-live-sound") !== "off";

// ------------------------------------------------------------------ small helpers

function setState(next) {
  state = next;
  debug.state = next;
  ui.root.dataset.state = next;
}

function say(text) {
  ui.status.textContent = text;
}

function show(node, visible) {
  node.hidden = !visible;
}

function seconds(value) {
  return value == null ? "–" : `${value.toFixed(1)} s`;
}

function clock() {
  // one clock for the model and the socket: milliseconds, strictly increasing
  let t = Math.round(performance.now() * 10) / 10;
  if (t <= lastClock) t = lastClock + 0.1;
  lastClock = t;
  return t;
}

function clamp(value, lo, hi) {
  return Math.min(hi, Math.max(lo, value));
}

function round(value, places) {
  const k = 10 ** places;
  return Math.round(value * k) / k;
}

function mmss(total) {
  const s = Math.max(0, Math.round(total));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// ------------------------------------------------------------------ speech

function speak(texts) {
  // the newest rep's cues only: whatever an older rep left unsaid is stale, so cancel it
  const lines = Array.isArray(texts) ? texts : [texts];
  debug.spoken.push(...lines);
  if (!soundOn || !("speechSynthesis" in window)) return;
  window.speechSynthesis.cancel();
  for (const line of lines) {
    const utterance = new SpeechSynthesisUtterance(line);
    utterance.lang = document.documentElement.lang || "en";
    utterance.rate = 1.05;
    window.speechSynthesis.speak(utterance);
  }
}

function unlockSpeech() {
  // phones allow speech only after a tap: say nothing, once, inside the tap
  if (!("speechSynthesis" in window)) return;
  const utterance = new SpeechSynthesisUtterance(" ");
  utterance.volume = 0;
  window.speechSynthesis.speak(utterance);
}

function renderSound() {
  ui.sound.textContent = soundOn ? "Sound on" : "Sound off";
  ui.sound.setAttribute("aria-pressed", String(soundOn));
}

ui.sound.addEventListener("click", () => {
  soundOn = !soundOn;
  localStorage.setItem("hingecoach-live-sound", soundOn ? "on" : "off");
  if (!soundOn && "speechSynthesis" in window) window.speechSynthesis.cancel();
  renderSound();
});
renderSound();

// ------------------------------------------------------------------ the pose model

function gpuLooksReal() {
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (!gl) return false;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(
      gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) || "",
    );
    // a software GL runs the GPU delegate at about one frame a second: use the CPU there
    return !/swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
  } catch {
    return false;
  }
}

async function makeLandmarker(model, delegate) {
  return vision.PoseLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: model.url, delegate },
    runningMode: "VIDEO",
    // a second person is reported (people: 2) where there is GPU to spare for it
    numPoses: delegate === "GPU" ? 2 : 1,
    minPoseDetectionConfidence: 0.5,
    minPosePresenceConfidence: 0.5,
    minTrackingConfidence: 0.5,
  });
}

async function loadPose() {
  if (params.get("pose") === "server") throw new Error("server-side pose asked for");
  if (!cfg.models.length) throw new Error("no pose model is installed on this server");
  vision = await import(`${cfg.runtime}/vision_bundle.mjs`);
  fileset = await vision.FilesetResolver.forVisionTasks(`${cfg.runtime}/wasm`);
  const asked = params.get("model");
  const models = asked ? cfg.models.filter((m) => m.name === asked) : cfg.models;
  const askedDelegate = (params.get("delegate") || "").toUpperCase();
  const delegates = askedDelegate
    ? [askedDelegate]
    : gpuLooksReal()
      ? ["GPU", "CPU"]
      : ["CPU"];
  let last = null;
  for (const model of models) {
    for (const delegate of delegates) {
      try {
        landmarker = await makeLandmarker(model, delegate);
        modelInfo = model;
        debug.model = model.name;
        debug.delegate = delegate;
        return;
      } catch (error) {
        last = error;
      }
    }
  }
  throw last || new Error("no pose model could be loaded");
}

async function fallBackToCpu() {
  // the GPU delegate turned out slow (a software GL): the same model on the CPU
  switching = true;
  try {
    const cpu = await makeLandmarker(modelInfo, "CPU");
    const old = landmarker;
    landmarker = cpu;
    debug.delegate = "CPU";
    old.close();
  } catch {
    // keep the GPU one: slow is better than none
  } finally {
    switching = false;
    poseFrames = 0;
    poseSince = performance.now();
  }
}

// ------------------------------------------------------------------ drawing

const BODY = [
  [11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24],
  [23, 25], [25, 27], [27, 29], [29, 31], [27, 31], [24, 26], [26, 28], [28, 30],
  [30, 32], [28, 32],
];
const JOINTS = [11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32];
const ctx = ui.canvas.getContext("2d");

function sizeCanvas() {
  const w = ui.video.videoWidth || 640;
  const h = ui.video.videoHeight || 480;
  if (ui.canvas.width !== w || ui.canvas.height !== h) {
    ui.canvas.width = w;
    ui.canvas.height = h;
  }
}

function draw(points) {
  sizeCanvas();
  const w = ui.canvas.width;
  const h = ui.canvas.height;
  ctx.clearRect(0, 0, w, h);
  if (!points) return;
  const unit = Math.max(2, Math.min(w, h) / 110);
  const seen = (p) => (p.visibility ?? 1) >= 0.5;
  ctx.lineCap = "round";
  for (const [a, b] of BODY) {
    const p = points[a];
    const q = points[b];
    ctx.strokeStyle = seen(p) && seen(q) ? "rgba(102, 224, 190, 0.95)" : "rgba(255, 255, 255, 0.35)";
    ctx.lineWidth = unit;
    ctx.beginPath();
    ctx.moveTo(p.x * w, p.y * h);
    ctx.lineTo(q.x * w, q.y * h);
    ctx.stroke();
  }
  for (const i of JOINTS) {
    const p = points[i];
    ctx.fillStyle = seen(p) ? "#ffffff" : "rgba(255, 255, 255, 0.4)";
    ctx.beginPath();
    ctx.arc(p.x * w, p.y * h, unit * 1.1, 0, 2 * Math.PI);
    ctx.fill();
  }
  // the head: a ring around the ears and the nose
  const ears = [points[7], points[8]];
  const cx = (ears[0].x + ears[1].x) / 2;
  const cy = (ears[0].y + ears[1].y) / 2;
  const r = Math.max(Math.hypot((points[0].x - cx) * w, (points[0].y - cy) * h), unit * 4);
  ctx.strokeStyle = "rgba(102, 224, 190, 0.95)";
  ctx.lineWidth = unit;
  ctx.beginPath();
  ctx.arc(cx * w, cy * h, r, 0, 2 * Math.PI);
  ctx.stroke();
}

// ------------------------------------------------------------------ the camera

async function openCamera() {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw Object.assign(new Error("this browser has no camera access"), { name: "NoCamera" });
  }
  const size = { width: { ideal: 640 }, height: { ideal: 480 } };
  const asks = [
    { video: { facingMode: { ideal: "environment" }, ...size }, audio: false },
    { video: true, audio: false },
  ];
  let last = null;
  for (const ask of asks) {
    try {
      return await navigator.mediaDevices.getUserMedia(ask);
    } catch (error) {
      last = error;
      if (error.name === "NotAllowedError" || error.name === "SecurityError") break;
    }
  }
  throw last;
}

function cameraProblem(error) {
  if (error?.name === "NotAllowedError" || error?.name === "SecurityError") {
    return "The camera is blocked for this site. Allow it in the browser's site settings, then try again.";
  }
  if (error?.name === "NotFoundError" || error?.name === "NoCamera") {
    return "No camera was found. Live coaching needs a camera (a phone's works best).";
  }
  return `The camera did not start (${error?.message || error}). Close other apps using it and try again.`;
}

function stopCamera() {
  running = false;
  if (stream) {
    for (const track of stream.getTracks()) track.stop();
    stream = null;
  }
  ui.video.srcObject = null;
}

async function videoReady() {
  if (ui.video.videoWidth > 0) return;
  await new Promise((resolve) => {
    ui.video.addEventListener("loadedmetadata", resolve, { once: true });
  });
}

async function keepAwake() {
  try {
    wakeLock = await navigator.wakeLock?.request("screen");
  } catch {
    wakeLock = null;
  }
}

function letSleep() {
  wakeLock?.release().catch(() => {});
  wakeLock = null;
}

// ------------------------------------------------------------------ the frame loop

function nextFrame() {
  if (!running) return;
  if (ui.video.requestVideoFrameCallback) ui.video.requestVideoFrameCallback(onFrame);
  else requestAnimationFrame(onFrame);
}

let lastVideoTime = -1;

function onFrame() {
  if (!running) return;
  try {
    if (debug.mode === "landmarks") poseFrame();
  } catch (error) {
    debug.error = String(error);
  }
  nextFrame();
}

function poseFrame() {
  if (switching || !landmarker || ui.video.readyState < 2) return;
  if (ui.video.currentTime === lastVideoTime && !ui.video.requestVideoFrameCallback) return;
  lastVideoTime = ui.video.currentTime;
  const t = clock();
  const result = landmarker.detectForVideo(ui.video, t);
  const points = result.landmarks[0] || null;
  draw(points);
  poseFrames += 1;
  const elapsed = (performance.now() - poseSince) / 1000;
  if (elapsed > 0) debug.poseFps = poseFrames / elapsed;
  if (debug.delegate === "GPU" && poseFrames === 30 && debug.poseFps < SLOW_GPU_FPS) {
    fallBackToCpu();
  }
  sendFrame(t, points, result.landmarks.length);
}

function canSend() {
  if (!socket || socket.readyState !== OPEN || state !== "live") return false;
  if (socket.bufferedAmount > BUFFER_LIMIT) {
    debug.skipped += 1;
    return false;
  }
  return true;
}

function sendFrame(t, points, people) {
  if (!canSend() || t - lastSent < 1000 / sendFps - 2) return;
  lastSent = t;
  const lm = points
    ? points.map((p) => [
        round(clamp(p.x, -0.5, 1.5), 4),
        round(clamp(p.y, -0.5, 1.5), 4),
        round(clamp(p.z, -10, 10), 4),
        round(clamp(p.visibility ?? 0, 0, 1), 3),
      ])
    : null;
  socket.send(JSON.stringify({ type: "frame", t_ms: t, lm, people: points ? people : 0 }));
  debug.framesSent += 1;
}

// Server-side pose: small JPEG frames at a low rate, for browsers that cannot run the model.
const grab = document.createElement("canvas");

function imageSize() {
  const w = ui.video.videoWidth || 640;
  const h = ui.video.videoHeight || 480;
  const k = Math.min(1, IMAGE_LONG_SIDE / Math.max(w, h));
  return { width: Math.max(16, Math.round(w * k)), height: Math.max(16, Math.round(h * k)) };
}

function jpeg(quality) {
  return new Promise((resolve) => grab.toBlob(resolve, "image/jpeg", quality));
}

async function imageLoop() {
  while (running && debug.mode === "images") {
    const started = performance.now();
    if (canSend() && ui.video.readyState >= 2) {
      const { width, height } = imageSize();
      grab.width = width;
      grab.height = height;
      grab.getContext("2d").drawImage(ui.video, 0, 0, width, height);
      const t = clock();
      let blob = await jpeg(0.7);
      if (blob && blob.size > IMAGE_MAX_BYTES) blob = await jpeg(0.45);
      if (blob && blob.size <= IMAGE_MAX_BYTES && canSend()) {
        const head = new DataView(new ArrayBuffer(8));
        head.setFloat64(0, t, true);
        socket.send(JSON.stringify({ type: "image" }));
        socket.send(new Blob([head.buffer, blob]));
        debug.imagesSent += 1;
      }
    }
    const wait = 1000 / imageFps - (performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, Math.max(10, wait)));
  }
}

// ------------------------------------------------------------------ the socket

function socketUrl(resume) {
  const url = new URL(cfg.socket, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  if (cfg.trainee) url.searchParams.set("trainee", cfg.trainee);
  if (cfg.exercise) url.searchParams.set("exercise", cfg.exercise);
  if (resume) url.searchParams.set("resume", "1");
  return url.href;
}

function connect(resume = false) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(resume));
    ws.binaryType = "arraybuffer";
    let opened = false;
    ws.onopen = () => {
      opened = true;
      socket = ws;
      resolve(ws);
    };
    ws.onmessage = (message) => {
      if (typeof message.data === "string") onEvent(JSON.parse(message.data));
    };
    ws.onclose = (event) => {
      if (!opened) reject(new Error("could not reach the coach"));
      if (socket === ws) onClosed(event);
    };
  });
}

function send(message) {
  if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
}

function onClosed(event) {
  socket = null;
  if (event.code === 1013) return; // busy: said already
  if (state === "live" || state === "ending") {
    // the server ends the set and keeps what was counted: fetch it back and log it
    say("The connection dropped. The reps so far are kept; getting them back…");
    running = debug.mode === "landmarks"; // keep drawing the skeleton meanwhile
    setTimeout(resumeSet, 1000);
  }
}

async function resumeSet() {
  if (reconnects >= 5) {
    say("Could not reach the coach again. Check the connection, then reload the page.");
    finishCamera();
    return;
  }
  reconnects += 1;
  try {
    await connect(true);
  } catch {
    setTimeout(resumeSet, 2000 * reconnects);
  }
}

// ------------------------------------------------------------------ events from the coach

function onEvent(event) {
  debug.events.push(event);
  if (debug.events.length > 500) debug.events.shift();
  switch (event.type) {
    case "ready":
      return onReady(event);
    case "view":
      return onView(event);
    case "rep":
      return onRep(event);
    case "fault":
      return onFault(event);
    case "end":
      return onEnd(event);
    case "logged":
      return onLogged(event);
    case "dropped":
      return onDropped();
    case "busy":
      return onBusy(event);
    case "error":
      return onError(event);
    default:
      return undefined;
  }
}

function onReady(event) {
  target = {
    ...target,
    exercise: event.exercise,
    exercise_name: event.exercise_name,
    reps: event.target?.reps ?? target.reps,
    load: event.target?.load ?? target.load,
    load_kg: event.target?.load_kg ?? target.load_kg,
    tempo: event.target?.tempo ?? target.tempo,
  };
  renderTarget();
  reconnects = 0;
  setState("live");
  show(ui.start, false);
  show(ui.end, true);
  ui.end.disabled = false;
  say(
    debug.mode === "images"
      ? "Go when you're ready. Pictures go to the coach, so counting is a little slower."
      : "Go when you're ready. Reps are counted as you lift.",
  );
  if (debug.mode === "images") imageLoop();
}

function onView(event) {
  if (event.ok) {
    show(ui.view, false);
    if (viewProblem) say("That works. Carry on.");
    viewProblem = null;
    return;
  }
  const message = String(event.message || "The camera cannot see you well enough.");
  ui.view.textContent = message.charAt(0).toUpperCase() + message.slice(1);
  show(ui.view, true);
  // said without the numbers in brackets: what to change is what matters from 3 m away
  if (viewProblem !== event.code) speak(ui.view.textContent.replace(/\s*\([^)]*\)/g, ""));
  viewProblem = event.code;
}

function onRep(event) {
  repsCounted = event.n;
  ui.reps.textContent = String(event.n);
  const aim = target.tempo || { down_s: 3, up_s: 2 };
  ui.down.querySelector(".t").textContent =
    event.descent_s == null ? "from the floor" : seconds(event.descent_s);
  ui.up.querySelector(".t").textContent = seconds(event.ascent_s);
  ui.down.classList.toggle("quick", event.descent_s != null && event.descent_s < aim.down_s * 0.75);
  ui.up.classList.toggle(
    "quick",
    Boolean(aim.up_s) && event.ascent_s != null && event.ascent_s < aim.up_s * 0.75,
  );
  ui.root.dataset.tempo = event.tempo_ok ? "ok" : "off";
  // one cue per rep, said and shown: its most important fault's, or that it was good
  const good = !event.faults || event.faults.length === 0;
  ui.cue.textContent = `Rep ${event.n}: ${event.cue}`;
  ui.cue.classList.toggle("good", good);
  show(ui.cue, true);
  speak(event.cue);
  if (target.reps && event.n >= target.reps && !targetSaid) {
    targetSaid = true;
    ui.root.dataset.target = "reached";
    say(`That's ${event.n}. Put it down and press End set when you're ready.`);
  }
}

function onFault(event) {
  // every fault is listed; only the rep's one cue is said (see onRep)
  const item = document.createElement("li");
  item.innerHTML = "<span class='rep'></span> <strong></strong> <span class='c'></span>";
  item.querySelector(".rep").textContent = `Rep ${event.rep}`;
  item.querySelector("strong").textContent = event.name;
  item.querySelector(".c").textContent = event.cue;
  ui.cues.prepend(item);
}

const RATING = {
  clean: "Clean form",
  minor: "Mostly good form",
  breakdown: "The form broke down",
};

function finishCamera() {
  stopCamera();
  letSleep();
  draw(null);
  show(ui.end, false);
}

function onEnd(event) {
  clearTimeout(endTimer);
  lastEnd = event;
  finishCamera();
  setState("ended");
  show(ui.view, false);
  show(ui.cue, false);
  show(ui.summary, true);
  ui.reps.textContent = String(event.reps);
  const reps = event.reps === 1 ? "1 rep" : `${event.reps} reps`;
  ui.summaryTitle.textContent = event.reps > 0 ? `Set done: ${reps}` : "No reps counted";
  const notes = [];
  if (event.reps > 0) notes.push(`${RATING[event.rating] || event.rating}.`);
  if (event.reason === "disconnect") notes.push("The connection dropped; the reps counted before it are kept.");
  if (event.reason === "idle") notes.push("The set ended after a quiet spell.");
  if (event.reps === 0) notes.push("Check that your whole body is in the picture, side-on, then start again.");
  ui.summaryText.textContent = notes.join(" ");
  ui.summaryFaults.replaceChildren(
    ...(event.faults || []).map((fault) => {
      const li = document.createElement("li");
      const which = fault.reps?.length ? ` (rep${fault.reps.length > 1 ? "s" : ""} ${fault.reps.join(", ")})` : "";
      li.innerHTML = "<strong></strong><span></span><br><span class='c'></span>";
      li.querySelector("strong").textContent = fault.name;
      li.querySelector("span").textContent = which;
      li.querySelector(".c").textContent = fault.cue;
      return li;
    }),
  );
  if (event.reps > 0) {
    buildLoadChoices(target.load_kg);
    show(ui.log, true);
    ui.logSubmit.disabled = false;
    say("Add the load, how hard it was and any pain, then log the set.");
  } else {
    show(ui.start, true);
    ui.start.disabled = false;
    ui.start.textContent = "Start again";
    say("Nothing to log.");
  }
}

function onLogged(event) {
  setState("logged");
  show(ui.log, false);
  show(ui.summary, false);
  show(ui.next, true);
  const decision = event.decision || {};
  ui.decisionTitle.textContent = decision.heading || "Logged";
  ui.decisionReason.textContent = [decision.reason, decision.do_now].filter(Boolean).join(" ");
  const next = event.next;
  clearInterval(restTimer);
  if (next) {
    target = {
      ...target,
      reps: next.reps ?? target.reps,
      load: next.load ?? target.load,
      load_kg: next.load_kg !== undefined ? next.load_kg : target.load_kg,
      tempo: next.tempo ?? target.tempo,
    };
    const parts = [];
    if (next.reps) parts.push(`${next.reps} reps`);
    if (next.load) parts.push(next.load);
    ui.nextSet.innerHTML = "<p class='eyebrow'></p><p class='next-dose'></p><p class='small'></p>";
    ui.nextSet.querySelector(".eyebrow").textContent = `Next: set ${next.set_number ?? ""}`.trim();
    ui.nextSet.querySelector(".next-dose").textContent = parts.join(" · ");
    ui.nextSet.querySelector(".small").textContent = next.note || "";
    show(ui.again, true);
    startRest(next.rest_s || 0);
    say("Logged. Rest, then start the next set.");
  } else {
    ui.nextSet.textContent = "That's the session. Well done.";
    show(ui.again, false);
    show(ui.rest, false);
    say("Logged. That's the session.");
  }
}

function startRest(total) {
  if (!total) {
    show(ui.rest, false);
    return;
  }
  const until = performance.now() + total * 1000;
  const tick = () => {
    const left = (until - performance.now()) / 1000;
    if (left <= 0) {
      clearInterval(restTimer);
      ui.rest.textContent = "Rest done: start when you're ready.";
      ui.rest.classList.add("done");
      if (state === "logged") speak("Rest done.");
      return;
    }
    ui.rest.textContent = `Rest ${mmss(left)}`;
  };
  ui.rest.classList.remove("done");
  show(ui.rest, true);
  tick();
  restTimer = setInterval(tick, 1000);
}

function onDropped() {
  // the coach could not keep up: send fewer frames
  if (debug.mode === "images") imageFps = Math.max(1, imageFps * 0.7);
  else sendFps = Math.max(MIN_SEND_FPS, sendFps * 0.75);
}

function onBusy(event) {
  finishCamera();
  setState("setup");
  say(event.message || "The coach is busy. Try again in a little while.");
  ui.start.disabled = true;
  show(ui.start, true);
  const wait = Math.max(1, Number(event.retry_after_s) || 30);
  setTimeout(() => {
    ui.start.disabled = false;
  }, wait * 1000);
}

function onError(event) {
  const stopping = {
    "server-pose-unavailable": "This browser cannot run the pose model, and this server cannot take pictures instead. Try another browser.",
    "server-pose-busy": "This browser cannot run the pose model, and the server is busy with pictures from others. Try again later.",
    "login-required": "Sign in again, then reopen this page.",
    forbidden: event.message,
    "too-many-live": event.message,
    "no-target": event.message,
  };
  if (event.code in stopping) {
    finishCamera();
    setState("setup");
    show(ui.start, true);
    ui.start.disabled = false;
    say(stopping[event.code]);
    return;
  }
  if (event.code === "nothing-to-resume") {
    setState("setup");
    show(ui.start, true);
    ui.start.disabled = false;
    ui.start.textContent = "Start a new set";
    say("That set could not be recovered. Start a new one.");
    return;
  }
  if (event.code === "cannot-log" || event.code === "nothing-to-log") {
    ui.logSubmit.disabled = false;
    say(event.message);
    return;
  }
  console.warn("live:", event.code, event.message);
}

// ------------------------------------------------------------------ showing the target

function renderTarget() {
  if (target.exercise_name) ui.exercise.textContent = target.exercise_name;
  const tempo = target.tempo || { down_s: 3, up_s: 2 };
  const bits = [];
  if (target.reps) bits.push(`Aim for ${target.reps} reps`);
  if (target.load) bits.push(target.load);
  // an up time of 0 means as fast as good form allows
  const up = tempo.up_s ? `${tempo.up_s} s` : "fast";
  bits.push(`down ${tempo.down_s} s, up ${up}`);
  ui.dose.textContent = bits.join(" · ");
  ui.repsOf.textContent = target.reps ? `of ${target.reps}` : "reps";
  ui.down.querySelector(".aim").textContent = `aim ${tempo.down_s} s`;
  ui.up.querySelector(".aim").textContent = `aim ${up}`;
}

function loadStep(kg) {
  if (kg < 24) return 2;
  if (kg <= 48) return 4; // kettlebells
  return 5;
}

function loadsAround(kg) {
  // two lighter and two heavier loads this person can make (their own equipment), or
  // plain steps when the page does not know it
  const owned = (cfg.target?.loads || []).map(Number);
  if (owned.length) {
    const all = [...new Set([...owned, kg])].sort((a, b) => a - b);
    const i = all.indexOf(kg);
    const from = Math.max(0, Math.min(i - 2, all.length - 5));
    return all.slice(from, from + 5);
  }
  const step = loadStep(kg);
  return [-2, -1, 0, 1, 2].map((k) => round(kg + k * step, 2)).filter((v) => v > 0);
}

function buildLoadChoices(kg) {
  const legend = ui.load.querySelector("legend");
  const chips = [];
  const chip = (value, label, checked) => {
    const wrap = document.createElement("label");
    wrap.className = "chip";
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "load_kg";
    input.value = value;
    input.checked = checked;
    wrap.append(input, label);
    chips.push(wrap);
  };
  if (kg == null) {
    chip("", "Bodyweight", true);
  } else {
    for (const value of loadsAround(kg)) chip(String(value), `${value} kg`, value === kg);
  }
  ui.load.replaceChildren(legend, ...chips);
}

// ------------------------------------------------------------------ the buttons

async function startSet() {
  unlockSpeech();
  clearInterval(restTimer);
  ui.start.disabled = true;
  show(ui.next, false);
  show(ui.summary, false);
  show(ui.log, false);
  show(ui.view, false);
  show(ui.cue, false);
  ui.cues.replaceChildren();
  ui.reps.textContent = "0";
  ui.down.querySelector(".t").textContent = "–";
  ui.up.querySelector(".t").textContent = "–";
  delete ui.root.dataset.target;
  delete ui.root.dataset.tempo;
  targetSaid = false;
  viewProblem = null;
  repsCounted = 0;
  setState("starting");
  say("Opening the camera…");
  try {
    stream = await openCamera();
  } catch (error) {
    say(cameraProblem(error));
    setState("setup");
    ui.start.disabled = false;
    return;
  }
  ui.video.srcObject = stream;
  try {
    await ui.video.play();
  } catch {
    // autoplay of a muted inline video is allowed; play() may still reject on a re-attach
  }
  await videoReady();
  sizeCanvas();
  keepAwake();
  running = true;
  poseFrames = 0;
  poseSince = performance.now();
  nextFrame();
  say("Connecting to the coach…");
  try {
    if (!socket || socket.readyState !== OPEN) await connect();
  } catch {
    finishCamera();
    setState("setup");
    ui.start.disabled = false;
    say("Could not reach the coach. Check the connection and try again.");
    return;
  }
  const size =
    debug.mode === "images"
      ? imageSize()
      : { width: ui.video.videoWidth || 640, height: ui.video.videoHeight || 480 };
  const start = { type: "start", width: size.width, height: size.height };
  if (cfg.exercise) start.exercise = cfg.exercise;
  send(start);
}

ui.start.addEventListener("click", startSet);
ui.again.addEventListener("click", startSet);

ui.end.addEventListener("click", () => {
  ui.end.disabled = true;
  setState("ending");
  say("Finishing the set…");
  send({ type: "end", t_ms: clock() });
  // no answer in a few seconds: close; the server ends the set and holds it for us
  endTimer = setTimeout(() => {
    if (state === "ending" && socket) socket.close();
  }, 6000);
});

ui.log.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(ui.log);
  const load = form.get("load_kg");
  const rpe = form.get("rpe");
  const message = {
    type: "log",
    load_kg: load ? Number(load) : null,
    rpe: rpe ? Number(rpe) : null,
    pain: Number(form.get("pain") || 0),
  };
  ui.logSubmit.disabled = true;
  say("Logging…");
  if (!socket || socket.readyState !== OPEN) {
    try {
      await connect(true); // the server still holds the ended set: it sends its end again
    } catch {
      ui.logSubmit.disabled = false;
      say("Could not reach the coach. Check the connection and try again.");
      return;
    }
  }
  send(message);
});

ui.discard.addEventListener("click", () => {
  show(ui.log, false);
  show(ui.summary, false);
  setState("setup");
  show(ui.start, true);
  ui.start.disabled = false;
  ui.start.textContent = "Start a new set";
  say("Not logged. Start a new set when you're ready.");
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && running) keepAwake();
});

// ------------------------------------------------------------------ start-up

async function init() {
  renderTarget();
  try {
    await loadPose();
    debug.mode = "landmarks";
    say("Ready. Set the phone up, then press Start set.");
  } catch (error) {
    debug.mode = "images";
    debug.error = String(error);
    ui.root.dataset.pose = "server";
    ui.privacy.textContent = "This browser cannot run the pose model, so small pictures go to the coach instead (slower, no skeleton).";
    say("This browser cannot run the pose model here, so small pictures go to the coach instead. Counting is slower. Press Start set.");
  }
  ui.start.disabled = false;
}

init();
