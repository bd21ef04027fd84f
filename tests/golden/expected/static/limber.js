/* Limber: print buttons, "Add to my worksheet", and the build-your-own worksheet.
   Everything here is an extra: without JavaScript every page still reads and prints. */
(function () {
  "use strict";
  var KEY = "limber.worksheet";

  // A routine's how-to steps start folded on a phone, so the steps list stays short;
  // printing unfolds them (and without JavaScript they are simply open).
  if (window.matchMedia("(max-width: 40rem)").matches) {
    document.querySelectorAll("details[data-collapse-on-phones]").forEach(function (d) {
      d.open = false;
    });
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details[data-collapse-on-phones]").forEach(function (d) {
      d.open = true;
    });
  });

  function loadChoice() {
    try {
      var list = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (s) { return typeof s === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function saveChoice(list) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(list));
    } catch (e) { /* private mode: the share link still works */ }
  }

  function unique(list) {
    return list.filter(function (item, index) { return item && list.indexOf(item) === index; });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var adder = document.querySelector("[data-add-to-worksheet]");
  if (adder) {
    var slug = adder.getAttribute("data-add-to-worksheet");
    var button = adder.querySelector("button");
    var show = function () {
      var on = loadChoice().indexOf(slug) >= 0;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "On my worksheet ✓ (remove)" : "Add to my worksheet";
    };
    button.addEventListener("click", function () {
      var list = loadChoice();
      var at = list.indexOf(slug);
      if (at >= 0) { list.splice(at, 1); } else { list.push(slug); }
      saveChoice(list);
      show();
    });
    adder.hidden = false;
    show();
  }

  var sheet = document.querySelector("[data-custom-worksheet]");
  if (!sheet) { return; }
  var cards = {};
  sheet.querySelector("template[data-cards]").content.querySelectorAll("[data-slug]")
    .forEach(function (card) { cards[card.getAttribute("data-slug")] = card; });
  var chosen = sheet.querySelector("[data-chosen]");
  var share = sheet.querySelector("[data-share-url]");
  var empty = sheet.querySelector("[data-empty]");
  var params = new URLSearchParams(window.location.search);
  var list = params.has("s") ? params.get("s").split(",") : loadChoice();
  list = unique(list).filter(function (s) { return cards.hasOwnProperty(s); });

  function control(label, action, disabled) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.setAttribute("data-action", action);
    b.disabled = disabled;
    return b;
  }

  function render() {
    chosen.textContent = "";
    list.forEach(function (slug, index) {
      var card = cards[slug].cloneNode(true);
      card.querySelector(".ws-num").textContent = String(index + 1);
      var controls = document.createElement("div");
      controls.className = "ws-controls screen-only";
      controls.appendChild(control("Move up", "up", index === 0));
      controls.appendChild(control("Move down", "down", index === list.length - 1));
      controls.appendChild(control("Remove", "remove", false));
      card.appendChild(controls);
      chosen.appendChild(card);
    });
    empty.hidden = list.length > 0;
    var query = list.length ? "?s=" + list.join(",") : "";
    window.history.replaceState(null, "", window.location.pathname + query);
    share.value = window.location.origin + window.location.pathname + query;
    saveChoice(list);
  }

  chosen.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var slug = button.closest("[data-slug]").getAttribute("data-slug");
    var at = list.indexOf(slug);
    var action = button.getAttribute("data-action");
    if (action === "remove") { list.splice(at, 1); }
    if (action === "up" && at > 0) { list.splice(at - 1, 0, list.splice(at, 1)[0]); }
    if (action === "down" && at < list.length - 1) { list.splice(at + 1, 0, list.splice(at, 1)[0]); }
    render();
  });

  sheet.querySelector("[data-fallback]").hidden = true;
  sheet.querySelector("[data-builder]").hidden = false;
  render();
})();
