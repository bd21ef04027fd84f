// The routine player: press Start and be told what to do, one step at a time, with a
// countdown for every hold, rests between repetitions and a prompt to switch sides.
// Everything it needs is in the page (the plan, the drawings), so it runs offline.
// It keeps the screen awake where the browser allows, beeps and vibrates only when
// asked (remembered), and a reload within the hour picks up where it was.

const KEY = "limber.player.v1";  // {sound, resume: {routine, phase, left, at}}
const PAIN_KEY = "limber.pain.v1";  // [{routine, date, before, after}]
const HOUR = 60 * 60 * 1000;
const TICK = 200;  // ms between looks at the clock; the countdown shows whole seconds

// The routine as a list of timed phases: get ready, then each hold (or move) with a
// rest between, and "switch sides" between the sides. Adds up as the build's time does.
export function phases(plan) {
  const out = [];
  plan.steps.forEach((step, index) => {
    out.push({ step: index, kind: "ready", seconds: plan.timing.setup });
    const total = step.sides * step.sets * step.reps;
    let done = 0;
    for (let side = 1; side <= step.sides; side += 1) {
      for (let set = 1; set <= step.sets; set += 1) {
        for (let rep = 1; rep <= step.reps; rep += 1) {
          done += 1;
          const hold = { step: index, kind: step.hold ? "hold" : "move", side, set, rep,
                         seconds: step.hold || plan.timing.move };
          out.push(hold);
          if (done < total) {
            const sideEnds = rep === step.reps && set === step.sets;
            out.push({ ...hold, kind: sideEnds ? "switch" : "rest",
                       seconds: plan.timing.rest });
          }
        }
      }
    }
  });
  return out;
}

function load(key, fallback) {
  try {
    const value = JSON.parse(window.localStorage.getItem(key));
    return value ?? fallback;
  } catch (error) {
    return fallback;
  }
}

function save(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch (error) { /* private mode: the player still works, it just forgets */ }
}

const clock = (ms) => {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
};

export function start(dialog, first) {
  let plan;  // the routine played now, its phases and their length in ms
  let list;
  let total;
  const use = (next) => {
    plan = next;
    list = phases(plan);
    total = list.reduce((sum, phase) => sum + phase.seconds * 1000, 0);
  };
  use(first);
  const $ = (selector) => dialog.querySelector(selector);
  const settings = load(KEY, {});
  let at = 0;  // the phase shown
  let shownStep = -1;  // the stretch whose name, drawings and cues are on screen
  let left = 0;  // ms left in it
  let running = false;
  let last = 0;  // Date.now() at the last tick
  let timer = null;
  let lock = null;

  const store = () => save(KEY, { ...load(KEY, {}), resume: {
    routine: plan.routine, phase: at, left, at: Date.now() } });
  const forget = () => { const { resume, ...rest } = load(KEY, {}); save(KEY, rest); };

  function announce(text) { $("[data-announce]").textContent = text; }

  function describe(phase) {
    const step = plan.steps[phase.step];
    const parts = [];
    if (step.reps > 1) parts.push(`Rep ${phase.rep} of ${step.reps}`);
    if (step.sets > 1) parts.push(`Set ${phase.set} of ${step.sets}`);
    if (step.sides > 1) parts.push(`Side ${phase.side} of 2`);
    return parts.join(" · ");
  }

  const WORDS = { ready: "Get ready", hold: "Hold", move: "Move", rest: "Rest",
                  switch: "Switch sides" };

  function signal() {
    if (!settings.sound) return;
    navigator.vibrate?.(200);
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
    } catch (error) { /* no sound here */ }
  }

  function showStep(phase) {
    const step = plan.steps[phase.step];
    $("[data-step-count]").textContent = `Stretch ${phase.step + 1} of ${plan.steps.length}`;
    $("[data-title]").textContent = step.title;
    $("[data-dose]").textContent = step.dose;
    $("[data-note]").textContent = step.note ? `Note: ${step.note}` : "";
    $("[data-cues]").replaceChildren(...step.cues.map((cue) => {
      const item = document.createElement("li");
      item.textContent = cue;
      return item;
    }));
    $("[data-figures]").replaceChildren(...step.figures.map((f) => {
      const figure = document.createElement("figure");
      const image = document.createElement("img");
      image.src = f.src;
      image.alt = f.alt;
      const caption = document.createElement("figcaption");
      caption.textContent = f.caption;
      figure.append(image, caption);
      return figure;
    }));
  }

  function show() {
    const phase = list[at];
    $("[data-phase]").textContent = WORDS[phase.kind];
    $("[data-phase]").dataset.kind = phase.kind;
    $("[data-count]").textContent = String(Math.max(0, Math.ceil(left / 1000)));
    $("[data-counters]").textContent = phase.kind === "ready" ? "" : describe(phase);
    const after = list.slice(at + 1).reduce((sum, p) => sum + p.seconds * 1000, 0);
    $("[data-progress]").value = (total - after - left) / total;
    $("[data-left]").textContent = `${clock(after + left)} left`;
    $("[data-pause]").textContent = running ? "Pause" : "Resume";
  }

  function enter(index, ms) {
    at = index;
    const phase = list[at];
    left = ms ?? phase.seconds * 1000;
    if (phase.step !== shownStep) {
      showStep(phase);
      shownStep = phase.step;
    }
    const step = plan.steps[phase.step];
    const spoken = {
      ready: `Stretch ${phase.step + 1} of ${plan.steps.length}: ${step.title}. Get ready.`,
      hold: `Hold for ${phase.seconds} seconds. ${describe(phase)}.`,
      move: `Move. ${describe(phase)}.`,
      rest: `Rest for ${phase.seconds} seconds.`,
      switch: "Switch sides.",
    }[phase.kind];
    announce(spoken);
    show();
    store();
  }

  function finish() {
    stop();
    forget();
    $("[data-playing]").hidden = true;
    $("[data-done]").hidden = false;
    $("[data-step-count]").textContent = "Finished";
    $("[data-done-text]").textContent =
      `You did all ${plan.steps.length} stretches of this routine.`;
    announce("Routine finished. Well done.");
    $("[data-done] input").focus();
  }

  function tick() {
    if (!running) return;
    const now = Date.now();
    left -= now - last;
    last = now;
    while (left <= 0) {
      if (at + 1 >= list.length) { finish(); return; }
      enter(at + 1, left + list[at + 1].seconds * 1000);
      signal();
    }
    show();
  }

  async function keepAwake(on) {
    try {
      if (on && !lock && "wakeLock" in navigator) lock = await navigator.wakeLock.request("screen");
      if (!on && lock) { await lock.release(); lock = null; }
    } catch (error) { lock = null; /* not allowed here: the screen may dim */ }
  }

  function play() {
    running = true;
    last = Date.now();
    clearInterval(timer);
    timer = setInterval(tick, TICK);
    keepAwake(true);
    show();
  }

  function stop() {
    running = false;
    clearInterval(timer);
    keepAwake(false);
  }

  function pause() {
    if (running) { tick(); stop(); announce("Paused."); } else { play(); announce("Going on."); }
    show();
    store();
  }

  function toStep(step) {
    const index = list.findIndex((phase) => phase.step === Math.max(0, step));
    if (index >= 0) enter(index);
  }

  $("[data-pause]").addEventListener("click", pause);
  $("[data-next]").addEventListener("click", () => {
    if (list[at].step + 1 < plan.steps.length) toStep(list[at].step + 1); else finish();
  });
  $("[data-prev]").addEventListener("click", () => toStep(list[at].step - 1));
  $("[data-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { stop(); forget(); });
  // Space pauses (on a button it presses that button, as everywhere); the arrow keys
  // move between stretches unless a field needs them.
  dialog.addEventListener("keydown", (event) => {
    if (event.key === " " && !event.target.closest("input, button, a, select, textarea")) {
      event.preventDefault();
      pause();
    }
    if (event.target.closest("input, select, textarea")) return;
    if (event.key === "ArrowRight") { event.preventDefault(); $("[data-next]").click(); }
    if (event.key === "ArrowLeft") { event.preventDefault(); $("[data-prev]").click(); }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && running) keepAwake(true);
  });
  window.addEventListener("pagehide", () => { if (dialog.open) store(); });

  const sound = $("[data-sound]");
  sound.checked = Boolean(settings.sound);
  sound.addEventListener("change", () => {
    settings.sound = sound.checked;
    save(KEY, { ...load(KEY, {}), sound: sound.checked });
  });

  $("[data-pain]").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const score = (name) => {
      const value = form.elements[name].value;
      return value === "" ? null : Math.min(10, Math.max(0, Math.round(Number(value))));
    };
    const kept = load(PAIN_KEY, []);
    const scores = Array.isArray(kept) ? kept : [];
    scores.push({ routine: plan.routine, date: new Date().toISOString().slice(0, 10),
                  before: score("before"), after: score("after") });
    save(PAIN_KEY, scores);
    form.querySelector("[data-pain-saved]").textContent = "Saved on this device.";
  });

  // Open on a phase (0: the start), with ms left in it, playing or paused; `next`
  // replaces the routine first (the build-your-own sheet plays what was chosen).
  function open(phase = 0, ms = undefined, paused = false, next = undefined) {
    if (next) use(next);
    $("[data-playing]").hidden = false;
    $("[data-done]").hidden = true;
    if (!dialog.open) dialog.showModal();
    shownStep = -1;  // perhaps another sheet, or the same stretch again: show it afresh
    enter(phase, ms);
    if (paused) { stop(); show(); } else { play(); }
    $("[data-pause]").focus();
  }

  return { open, resume: load(KEY, {}).resume };
}

// The build-your-own sheet plays the cards on it, in the sheet's order, each with what
// the player needs of it (worksheet.js fetched it with the card) and the doses and notes
// set on it, named by them so a reload resumes only the same sheet.
function chosen(plan) {
  const cards = [...document.querySelectorAll("[data-chosen] [data-slug]")];
  const steps = cards.map((card) => {
    const step = JSON.parse(card.dataset.play);
    const set = (name) => Number(card.dataset[name]) || null;
    return { ...step, hold: set("playHold"), reps: set("playReps") || step.reps,
             sets: set("playSets") || step.sets, sides: set("playSides") || step.sides,
             dose: card.querySelector(".ws-dose")?.textContent || step.dose,
             note: card.querySelector(".ws-note:not([hidden])")?.textContent
               .replace(/^Note: /, "") || "" };
  });
  const name = steps.map((step) => `${step.slug}.${step.hold}.${step.reps}.${step.sets}.` +
                         `${step.sides}`).join(",");
  return { ...plan, routine: `custom:${name}`, steps };
}

function begin(dialog, whole) {
  const custom = whole.routine === "custom";
  const plan = custom ? chosen(whole) : whole;
  const player = start(dialog, plan);
  const button = document.querySelector("[data-player-start]");
  button.hidden = false;
  button.querySelector("button").addEventListener("click", () => {
    const now = custom ? chosen(whole) : plan;
    if (now.steps.length) player.open(0, undefined, false, now);
  });
  const saved = player.resume;
  if (saved && saved.routine === plan.routine && plan.steps.length &&
      Date.now() - saved.at < HOUR && Number.isInteger(saved.phase) && saved.phase >= 0 &&
      saved.phase < phases(plan).length && saved.left > 0) {
    player.open(saved.phase, saved.left, true);  // a reload mid-routine: where it was, paused
  }
}

const dialog = document.querySelector("[data-player]");
if (dialog) {
  const whole = JSON.parse(document.getElementById("player-plan").textContent);
  const sheet = document.querySelector("[data-custom-worksheet]");
  // After the page's other scripts: the build-your-own sheet is put together by them,
  // from cards they fetch.
  if (sheet && "loading" in sheet.dataset) {
    sheet.addEventListener("limber:sheet", () => begin(dialog, whole), { once: true });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => begin(dialog, whole));
  } else {
    begin(dialog, whole);
  }
}
