// The filter bar on /stretches/: narrows the list at once, with a count, and keeps
// the choice in the address (/stretches/?position=seated&equipment=none) so it can be
// shared and survives a reload. Without JavaScript the bar stays hidden and the facet
// pages (/positions/seated/, /equipment/none/, ...) do the job.

const OFF_THE_FLOOR = "off-the-floor";

// The address's names for the cards' data attributes (data-positions="seated ...").
const FIELDS = { position: "positions", equipment: "equipment", difficulty: "difficulty",
                 region: "regions" };

export function start(form) {
  const cards = [...document.querySelectorAll("[data-positions]")];
  const count = form.querySelector("[data-count]");
  const none = document.querySelector("[data-none]");

  const filedUnder = (card, data, value) => card.dataset[data].split(" ").includes(value);

  function matches(card) {
    const fields = Object.entries(FIELDS).every(([param, data]) => {
      const wanted = form.elements[param].value;
      return !wanted || filedUnder(card, data, wanted);
    });
    return fields && (!form.elements.floor.checked ||
                      filedUnder(card, "positions", OFF_THE_FLOOR));
  }

  function show() {
    let shown = 0;
    for (const card of cards) {
      card.hidden = !matches(card);
      shown += card.hidden ? 0 : 1;
    }
    count.textContent = `${shown} ${shown === 1 ? "stretch" : "stretches"}`;
    none.hidden = shown > 0;
  }

  function fromAddress() {
    const params = new URLSearchParams(window.location.search);
    for (const param of Object.keys(FIELDS)) {
      const select = form.elements[param];
      const wanted = params.get(param) || "";
      // An unknown value in a shared address (a typo, an old link) is left out.
      select.value = [...select.options].some((o) => o.value === wanted) ? wanted : "";
    }
    form.elements.floor.checked = params.get("floor") === "no";
  }

  function toAddress() {
    const params = new URLSearchParams();
    for (const param of Object.keys(FIELDS)) {
      if (form.elements[param].value) params.set(param, form.elements[param].value);
    }
    if (form.elements.floor.checked) params.set("floor", "no");
    const query = params.toString();
    window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  }

  form.addEventListener("change", () => { show(); toAddress(); });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.querySelector("[data-clear]").addEventListener("click", () => {
    form.reset();
    show();
    toAddress();
  });
  fromAddress();
  show();
  form.hidden = false;
}

const form = document.querySelector("[data-filter]");
if (form) start(form);
