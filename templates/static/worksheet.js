// The build-your-own worksheet: "Add to my worksheet" on stretch pages, and on
// /worksheets/custom/ the sheet itself, which a physical therapist can tailor (doses,
// notes, the patient, the log) and share as a link that holds all of it.
//
// A sheet: {title, patient, clinician, start, often, weeks, tick, items: [{slug, hold,
// reps, sets, sides, note}]}; an item's dose fields are set only where they differ from
// the stretch's own. The reader's sheet is kept on the device; a shared link is shown
// as it is and saved only when the reader asks.

const KEY = "limber.sheet.v1";
const OLD_KEY = "limber.worksheet";  // a list of slugs, from before sheets could be tailored
const VERSION = "1";

// What a sheet may hold: the link is checked against these before anything is shown.
export const LIMITS = {
  items: 20, title: 80, patient: 80, clinician: 120, often: 60, note: 160,
  hold: [1, 600], reps: [1, 30], sets: [1, 10], sides: [1, 2],
};
const WEEKS = [1, 2, 4];
const TICKS = { d: "day", e: "exercise" };  // in the link: one tick a day, or one a stretch
const TEXT_KEYS = { t: "title", p: "patient", c: "clinician", f: "often" };
const DOSE = ["hold", "reps", "sets", "sides"];
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function blank() {
  return { title: "", patient: "", clinician: "", start: "", often: "", weeks: 1,
           tick: "day", items: [] };
}

// --- The link ------------------------------------------------------------------------
// '#v=1&e=cat-cow&e=bridge.45.2..2.Keep%20hips%20level&t=...&l=2e&x=1k3f9a': version,
// one 'e' per stretch in order (slug, then hold, reps, sets, sides and note, each empty
// for the stretch's own), the texts, the log (weeks and tick), and a check of all of it.

function fnv(text) {  // FNV-1a, 32 bits, in base 36: catches a cut-off or altered link
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

function body(sheet) {
  const params = new URLSearchParams({ v: VERSION });
  for (const item of sheet.items) {
    const fields = [item.slug, ...DOSE.map((key) => item[key] ?? ""), item.note || ""];
    while (fields.length > 1 && fields[fields.length - 1] === "") fields.pop();
    params.append("e", fields.join("."));
  }
  for (const [key, name] of Object.entries(TEXT_KEYS)) {
    if (sheet[name]) params.set(key, sheet[name]);
  }
  if (sheet.start) params.set("d", sheet.start);
  if (sheet.weeks !== 1 || sheet.tick !== "day") {
    params.set("l", `${sheet.weeks}${sheet.tick === "exercise" ? "e" : "d"}`);
  }
  return params.toString();
}

export function encode(sheet) {
  const text = body(sheet);
  return `${text}&x=${fnv(text)}`;
}

class LinkError extends Error {}

function whole(text, [low, high], what) {
  if (!/^\d{1,4}$/.test(text) || Number(text) < low || Number(text) > high) {
    throw new LinkError(`${what} '${text}' is not a whole number from ${low} to ${high}`);
  }
  return Number(text);
}

function validDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match && new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  return Boolean(date) && date.toISOString().slice(0, 10) === text;
}

// The sheet a link holds, checked, or {error}. Whether the site has its stretches is
// known only once their cards are fetched (sheetPage).
export function decode(text) {
  try {
    const params = new URLSearchParams(text);
    const version = params.get("v");
    if (version !== VERSION) {
      throw new LinkError(/^\d+$/.test(version || "") && Number(version) > Number(VERSION)
        ? "it was made by a newer version of this site; reload the page and try again"
        : "it is not a worksheet link (its version mark is missing)");
    }
    const sheet = blank();
    const seen = new Set();
    for (const [key, value] of params) {
      if (key === "e") continue;
      if (!["v", "x", "d", "l", ...Object.keys(TEXT_KEYS)].includes(key)) {
        throw new LinkError(`it has a part this site doesn't know ('${key}')`);
      }
      if (seen.has(key)) throw new LinkError(`it has '${key}' twice`);
      seen.add(key);
      if (TEXT_KEYS[key]) {
        const name = TEXT_KEYS[key];
        if (value.length > LIMITS[name]) {
          throw new LinkError(`its ${name} is longer than ${LIMITS[name]} characters`);
        }
        sheet[name] = value;
      }
    }
    if (params.has("d")) {
      if (!validDate(params.get("d"))) {
        throw new LinkError(`its start date '${params.get("d")}' is not a date`);
      }
      sheet.start = params.get("d");
    }
    if (params.has("l")) {
      const match = /^([124])([de])$/.exec(params.get("l"));
      if (!match) throw new LinkError(`its log setting '${params.get("l")}' is not one we make`);
      sheet.weeks = Number(match[1]);
      sheet.tick = TICKS[match[2]];
    }
    const entries = params.getAll("e");
    if (entries.length > LIMITS.items) {
      throw new LinkError(`it holds ${entries.length} stretches; a sheet holds at most ` +
                          `${LIMITS.items}`);
    }
    for (const entry of entries) {
      const [slug, ...rest] = entry.split(".");
      const fields = [...rest.slice(0, 4), rest.slice(4).join(".")];
      const item = { slug };
      DOSE.forEach((key, index) => {
        if (fields[index]) item[key] = whole(fields[index], LIMITS[key], `a ${key} of`);
      });
      if (fields[4]) {
        if (fields[4].length > LIMITS.note) {
          throw new LinkError(`a note is longer than ${LIMITS.note} characters`);
        }
        item.note = fields[4];
      }
      if (!SLUG.test(slug)) throw new LinkError("a stretch's name is garbled");
      if (sheet.items.some((other) => other.slug === slug)) {
        throw new LinkError(`it names the stretch '${slug}' twice`);
      }
      sheet.items.push(item);
    }
    // The check is over the sheet as this page would write it, so a link that a mail
    // program re-encoded still opens.
    if (params.get("x") !== fnv(body(sheet))) {
      throw new LinkError("it is incomplete or has been changed (its check mark doesn't match)");
    }
    return { sheet };
  } catch (error) {
    if (error instanceof LinkError) return { error: error.message };
    throw error;
  }
}

// --- On this device ------------------------------------------------------------------

function read(key) {
  try {
    return JSON.parse(window.localStorage.getItem(key));
  } catch (error) {
    return null;
  }
}

// The reader's own sheet, put through the same checks as a link.
export function loadMine() {
  const stored = read(KEY);
  if (stored && typeof stored.link === "string") {
    const opened = decode(stored.link);
    if (opened.sheet) return opened.sheet;
  }
  const old = read(OLD_KEY);  // a list of slugs: the sheet as it used to be kept
  const sheet = blank();
  if (Array.isArray(old)) {
    sheet.items = [...new Set(old)]
      .filter((slug) => typeof slug === "string" && SLUG.test(slug))
      .slice(0, LIMITS.items).map((slug) => ({ slug }));
  }
  return sheet;
}

export function saveMine(sheet) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify({ link: encode(sheet) }));
    window.localStorage.removeItem(OLD_KEY);
  } catch (error) { /* private mode: the link still carries the sheet */ }
}

// --- Words ---------------------------------------------------------------------------

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function day(start, offset) {
  const [y, m, d] = start.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + offset));
}

export function longDate(start) {
  const date = day(start, 0);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function seconds(value) {  // as the build writes a short duration: '1 min 30 s'
  const minutes = Math.floor(value / 60);
  const rest = value % 60;
  return [minutes ? `${minutes} min` : "", rest ? `${rest} s` : ""].filter(Boolean).join(" ");
}

// 'Hold 45 s, twice, 2 sets, each side', as the build writes a card's dose.
export function doseText({ hold, reps, sets, sides }) {
  const times = { 1: "once", 2: "twice" }[reps] || `${reps} times`;
  const parts = [];
  if (hold) parts.push(`Hold ${seconds(hold)}`);
  if (reps > 1 || !hold) parts.push(hold ? times : `Repeat ${times}`);
  if (sets > 1) parts.push(`${sets} sets`);
  if (sides === 2) parts.push("each side");
  const text = parts.join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// --- "Add to my worksheet" on a stretch page -------------------------------------------

function adder(element) {
  const slug = element.dataset.addToWorksheet;
  const button = element.querySelector("button");
  const show = () => {  // any stretch the sheet names: the sheet page checks them on show
    const on = loadMine().items.some((item) => item.slug === slug);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "On my worksheet ✓ (remove)" : "Add to my worksheet";
  };
  button.addEventListener("click", () => {
    const sheet = loadMine();
    const at = sheet.items.findIndex((item) => item.slug === slug);
    if (at >= 0) sheet.items.splice(at, 1);
    else if (sheet.items.length < LIMITS.items) sheet.items.push({ slug });
    saveMine(sheet);
    show();
  });
  element.hidden = false;
  show();
}

// --- The sheet page --------------------------------------------------------------------

function cssString(text) {
  return `"${text.replace(/[\\"]/g, "\\$&").replace(/[\n\r\f]/g, " ")}"`;
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function sheetPage(page) {
  const $ = (selector) => page.querySelector(selector);
  const cards = {};  // slug -> the card as the build made it, once fetched
  const defaults = {};  // slug -> {hold, reps, sets, sides}
  const titles = {};
  const chosen = $("[data-chosen]");
  const form = $("[data-details]");
  const share = $("[data-share-url]");
  const message = $("[data-link-message]");
  const sharedBox = $("[data-shared]");
  const status = $("[data-status]");
  let mine = loadMine();
  let sheet = mine;
  let shared = false;  // showing a link's sheet, not the reader's own
  let broken = false;  // the address holds a link that could not be opened: left as it is
  let incomplete = false;  // some cards could not be fetched: the sheet isn't saved so
  let opening = 0;  // each open() is counted: one overtaken by a later one is dropped
  let qr = null;  // the QR code maker, once loaded

  const dose = (item) => Object.fromEntries(DOSE.map((key) => [key, item[key] ?? defaults[item.slug][key]]));
  const link = () => `${window.location.origin}${window.location.pathname}#${encode(sheet)}`;

  // The cards of these stretches, each fetched once (the build writes one a stretch
  // beside this page): those the site doesn't have, and those that couldn't be fetched.
  async function fetchCards(slugs) {
    const missing = [];
    const failed = [];
    await Promise.all(slugs.filter((slug) => !cards[slug]).map(async (slug) => {
      try {
        const response = await fetch(`${page.dataset.cards}${slug}.json`);
        if (response.status === 404) {
          missing.push(slug);
          return;
        }
        if (!response.ok) throw new Error(response.statusText);
        const { card: html, play } = await response.json();
        const holder = document.createElement("template");
        holder.innerHTML = html;
        const card = holder.content.firstElementChild;
        card.dataset.play = JSON.stringify(play);  // for the player (player.js)
        cards[slug] = card;
        titles[slug] = card.querySelector("h2").textContent.trim();
        defaults[slug] = Object.fromEntries(DOSE.map((key) => [key, Number(card.dataset[key]) || null]));
      } catch (error) {
        failed.push(slug);
      }
    }));
    return { missing: slugs.filter((slug) => missing.includes(slug)),
             failed: slugs.filter((slug) => failed.includes(slug)) };
  }

  async function open() {
    const turn = ++opening;
    page.dataset.loading = "";
    const hash = window.location.hash.slice(1);
    const legacy = new URLSearchParams(window.location.search).get("s");
    let next = mine;
    let opened = null;
    if (hash.includes("=")) {  // not '#main', where the skip link leads
      opened = decode(hash);
    } else if (legacy !== null) {  // '?s=a,b,c': links from before sheets could be tailored
      const sheetOfOld = blank();
      sheetOfOld.items = [...new Set(legacy.split(",").filter((slug) => SLUG.test(slug)))]
        .slice(0, LIMITS.items).map((slug) => ({ slug }));
      opened = { sheet: sheetOfOld };
    }
    if (opened && opened.sheet) next = opened.sheet;
    const { missing, failed } = await fetchCards(next.items.map((item) => item.slug));
    if (turn !== opening) return;
    message.hidden = true;
    shared = Boolean(opened && opened.sheet);
    broken = Boolean(opened && opened.error);
    incomplete = failed.length > 0;
    // A stretch the site no longer has is left out, and named if the sheet came in a link.
    next.items = next.items.filter((item) => cards[item.slug]);
    sheet = next;
    const problems = [];
    if (broken) {
      problems.push(`This link to a worksheet can't be opened: ${opened.error}. Ask whoever ` +
                    "sent it for the link again, or scan the code on the printed sheet. Below " +
                    "is your own sheet.");
    } else if (shared && missing.length) {
      problems.push(`This sheet named ${missing.length === 1 ? "a stretch" : "stretches"} ` +
                    `this site no longer has, left out: ${missing.join(", ")}.`);
    }
    if (incomplete) {
      problems.push(`${failed.length === 1 ? "A stretch" : "Some stretches"} on this sheet ` +
                    `could not be loaded (${failed.join(", ")}). Check the connection and ` +
                    "reload the page; until then this sheet is not saved.");
    }
    if (problems.length) say(problems.join(" "));
    render();
    $("[data-builder]").hidden = false;
    delete page.dataset.loading;
    page.dispatchEvent(new Event("limber:sheet"));  // its cards are in place (player.js)
  }

  function say(text) {
    message.textContent = text;
    message.hidden = false;
  }

  function fillForm() {
    for (const name of ["title", "patient", "clinician", "start", "often", "weeks", "tick"]) {
      form.elements[name].value = String(sheet[name]);
    }
  }

  function editor(item) {
    const own = defaults[item.slug];
    const now = dose(item);
    const field = (label, name, attrs) => element("label", {}, label, " ",
      element("input", { name, type: "number", inputMode: "numeric", value: now[name] ?? "",
                         min: LIMITS[name][0], max: LIMITS[name][1], ...attrs }));
    const sides = element("select", { name: "sides" },
      element("option", { value: "1", textContent: "One side" }),
      element("option", { value: "2", textContent: "Each side" }));
    sides.value = String(now.sides);
    const fields = element("div", { className: "ws-edit-fields" },
      field("Hold (seconds)", "hold", { placeholder: own.hold ? String(own.hold) : "none" }),
      field("Times", "reps", {}), field("Sets", "sets", {}),
      element("label", {}, "Sides ", sides),
      element("label", { className: "ws-edit-note" }, "Note ",
        element("input", { name: "note", type: "text", value: item.note || "",
                           maxLength: LIMITS.note })),
      element("button", { type: "button", className: "button button-quiet",
                          textContent: "Back to the usual dose" }));
    fields.lastChild.dataset.action = "reset";
    return element("details", { className: "ws-edit screen-only" },
      element("summary", { textContent: "Change the dose or add a note" }), fields);
  }

  function showCard(card, item) {
    const now = dose(item);
    const changed = DOSE.some((key) => item[key] !== undefined);
    const doseLine = card.querySelector(".ws-dose");
    if (!card.dataset.buildDose) card.dataset.buildDose = doseLine ? doseLine.textContent : "";
    const text = changed ? doseText(now) : card.dataset.buildDose;
    if (doseLine) doseLine.textContent = text;
    else if (text) card.querySelector(".ws-card-body").prepend(element("p", { className: "ws-dose", textContent: text }));
    for (const key of DOSE) card.dataset[`play${key[0].toUpperCase()}${key.slice(1)}`] = now[key] ?? "";
    let note = card.querySelector(".ws-note");
    if (item.note && !note) {
      note = element("p", { className: "ws-note" });
      card.querySelector(".ws-cues, .ws-where").after(note);
    }
    if (note) {
      note.textContent = item.note ? `Note: ${item.note}` : "";
      note.hidden = !item.note;
    }
  }

  function control(label, action, disabled) {
    const button = element("button", { type: "button", textContent: label, disabled });
    button.dataset.action = action;
    return button;
  }

  function render() {
    chosen.replaceChildren(...sheet.items.map((item, index) => {
      const card = cards[item.slug].cloneNode(true);
      card.querySelector(".ws-num").textContent = String(index + 1);
      showCard(card, item);
      card.append(element("div", { className: "ws-controls screen-only" },
        control("Move up", "up", index === 0),
        control("Move down", "down", index === sheet.items.length - 1),
        control("Remove", "remove", false)), editor(item));
      return card;
    }));
    $("[data-empty]").hidden = sheet.items.length > 0;
    sharedBox.hidden = !shared;
    fillForm();
    refresh();
  }

  // After any change: the heading, the log, the link, the QR code; kept on the device
  // if it is the reader's own sheet, in the address bar if it came from a link.
  function refresh() {
    const title = sheet.title || "My worksheet";
    $("[data-sheet-title]").textContent = title;
    $("[data-sheet-purpose]").hidden = Boolean(sheet.title || sheet.patient);
    const facts = [sheet.patient && `For ${sheet.patient}`, sheet.often,
                   sheet.start && `Starting ${longDate(sheet.start)}`,
                   sheet.clinician && `From ${sheet.clinician}`].filter(Boolean);
    $("[data-sheet-facts]").textContent = facts.join(" · ");
    $("[data-sheet-facts]").hidden = !facts.length;
    $("[data-fill-name]").hidden = Boolean(sheet.patient);
    $("[data-fill-start]").hidden = Boolean(sheet.start);
    $("[data-fill]").hidden = Boolean(sheet.patient && sheet.start);
    document.querySelector("[data-page-style]").textContent =
      `@page { @top-left { content: ${cssString(`${page.dataset.siteTitle} · ${title}`)} "\\A" ` +
      `${cssString(page.dataset.runningAddress)}; } }`;
    document.title = `${title} · ${page.dataset.siteTitle}`;
    log();
    const address = link();
    share.value = sheet.items.length ? address : "";
    // A sheet without the stretches that didn't come is neither kept nor put in the address.
    if (shared && !incomplete) window.history.replaceState(null, "", address);
    else if (!incomplete) {
      if (!broken && (window.location.hash || window.location.search)) {
        window.history.replaceState(null, "", window.location.pathname);
      }
      saveMine(sheet);
      mine = sheet;
    }
    drawQr(address);
  }

  function log() {
    const box = $("[data-log]");
    const weeks = sheet.weeks;
    const parts = [element("h2", { id: "ws-log-title", textContent: weeks === 1 ? "My week" : `My ${weeks} weeks` })];
    const rows = sheet.tick === "exercise"
      ? sheet.items.map((item, index) => `${index + 1}. ${titles[item.slug]}`)
      : ["Done"];
    const tables = element("div", { className: "ws-weeks" });
    for (let week = 0; week < weeks; week += 1) {
      const head = element("tr", {}, element("th", { scope: "col", textContent: weeks > 1 ? `Week ${week + 1}` : "Day" }));
      for (let d = 0; d < 7; d += 1) {
        const when = sheet.start ? day(sheet.start, week * 7 + d) : null;
        head.append(element("th", { scope: "col" }, ...(when
          ? [element("span", { textContent: DAYS[when.getUTCDay()] }), " ",
             element("span", { textContent: String(when.getUTCDate()) })]
          : [String(week * 7 + d + 1)])));
      }
      const body = element("tbody");
      const row = (label, cell, className = "") => {
        const tr = element("tr", {}, element("th", { scope: "row", textContent: label,
                                                     className }));
        for (let d = 0; d < 7; d += 1) tr.append(element("td", {}, ...(cell ? [cell()] : [])));
        body.append(tr);
      };
      if (!sheet.start) row("Date");
      for (const label of rows) {
        row(label, () => element("span", { className: "ws-box" }),
            sheet.tick === "exercise" ? "ws-log-item" : "");
      }
      row("Pain before");
      row("Pain after");
      tables.append(element("table", { className: "ws-grid" }, element("thead", {}, head), body));
    }
    parts.push(tables);
    // On paper a log of more than a week runs across the page, a week beside a week.
    box.classList.toggle("ws-log-wide", weeks > 1);
    parts.push(element("p", { className: "ws-scale", textContent: sheet.tick === "exercise"
      ? "Tick each stretch on the days you do it. " : "Tick the box each day you do the stretches. " }));
    parts[parts.length - 1].append("Rate your pain before and after, from 0 (none) to 10 " +
      "(the worst you can imagine). If it is higher after, stop and ask your clinician.");
    parts.push(element("h3", { textContent: "Notes" }),
               element("div", { className: "ws-lines" }, element("span"), element("span")));
    box.replaceChildren(...parts);
    box.hidden = false;
  }

  async function drawQr(address) {
    const figure = $("[data-qr]");
    if (!sheet.items.length) { figure.hidden = true; return; }
    try {
      qr = qr || (await import(page.dataset.qrScript)).qrcode;
    } catch (error) {
      figure.hidden = true;  // offline before it loaded: the link is still on screen
      return;
    }
    if (address !== link()) return;  // changed again while the maker loaded
    const code = qr(0, "M");
    code.addData(address);
    code.make();
    const count = code.getModuleCount();
    const svg = new DOMParser().parseFromString(
      code.createSvgTag({ cellSize: 1, margin: 4, scalable: true, title: "QR code: this sheet online" }),
      "image/svg+xml").documentElement;
    svg.setAttribute("role", "img");
    // At least 0.4 mm a square, so a phone reads it off paper.
    svg.style.setProperty("--qr-size", `${Math.max(22, Math.ceil((count + 8) * 0.4))}mm`);
    $("[data-qr-code]").replaceChildren(svg);
    figure.hidden = false;
  }

  // --- What the reader does ---
  chosen.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const slug = button.closest("[data-slug]").dataset.slug;
    const at = sheet.items.findIndex((item) => item.slug === slug);
    const items = sheet.items;
    const action = button.dataset.action;
    if (action === "reset") {
      const item = items[at];
      DOSE.forEach((key) => delete item[key]);
      delete item.note;
      const card = button.closest("[data-slug]");
      const fresh = editor(item);
      fresh.open = true;
      card.querySelector(".ws-edit").replaceWith(fresh);
      showCard(card, item);
      refresh();
      return;
    }
    if (action === "remove") items.splice(at, 1);
    if (action === "up" && at > 0) items.splice(at - 1, 0, items.splice(at, 1)[0]);
    if (action === "down" && at < items.length - 1) items.splice(at + 1, 0, items.splice(at, 1)[0]);
    render();
    const again = chosen.querySelector(`[data-slug="${slug}"] [data-action="${action}"]`);
    (again && !again.disabled ? again : chosen.querySelector("button") || $("[data-print]")).focus();
  });

  chosen.addEventListener("input", (event) => {
    const input = event.target;
    const card = input.closest("[data-slug]");
    if (!card || !input.name) return;
    const item = sheet.items.find((one) => one.slug === card.dataset.slug);
    if (input.name === "note") {
      if (input.value.trim()) item.note = input.value.trim(); else delete item.note;
    } else if (input.validity.valid) {
      const value = input.value === "" ? null : Number(input.value);
      if (value === null || value === defaults[item.slug][input.name]) delete item[input.name];
      else item[input.name] = value;
    } else {
      return;  // half typed or out of range: the browser marks it; the sheet waits
    }
    showCard(card, item);
    refresh();
  });

  form.addEventListener("input", (event) => {
    const { name, value } = event.target;
    if (!name || !event.target.validity.valid) return;
    if (name === "weeks") sheet.weeks = WEEKS.includes(Number(value)) ? Number(value) : 1;
    else if (name === "tick") sheet.tick = value === "exercise" ? "exercise" : "day";
    else if (name === "start") sheet.start = validDate(value) ? value : "";
    else sheet[name] = value.trim().slice(0, LIMITS[name]);
    refresh();
  });

  $("[data-save-shared]").addEventListener("click", () => {
    if (incomplete) {
      status.textContent = "Not saved: reload the page when the connection is back.";
      return;
    }
    const own = loadMine();
    if (own.items.length && encode(own) !== encode(sheet) &&
        !window.confirm(`This replaces the sheet saved on this device (${own.items.length} ` +
                        `${own.items.length === 1 ? "stretch" : "stretches"}). Save this one instead?`)) {
      return;
    }
    shared = false;
    render();
    status.textContent = "Saved as your sheet on this device.";
  });

  $("[data-copy]").addEventListener("click", async () => {
    share.select();
    try {
      await navigator.clipboard.writeText(share.value);
      status.textContent = "Link copied.";
    } catch (error) {
      status.textContent = "Select the link and copy it.";
    }
  });

  window.addEventListener("hashchange", open);
  $("[data-fallback]").hidden = true;
  open();
}

const add = document.querySelector("[data-add-to-worksheet]");
if (add) adder(add);
const page = document.querySelector("[data-custom-worksheet]");
if (page) sheetPage(page);
