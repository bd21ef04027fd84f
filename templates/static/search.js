// The search page: Pagefind's own interface over the index the build made, with the
// query in the address (/search/?q=hamstrings) so a search can be shared, reloaded,
// and started from the search box in any page's header. Works offline once loaded:
// the index is files of this site, fetched from beside pagefind-ui.js. A big library's
// index comes in parts: the first beside pagefind-ui.js, the others in the folders that
// parts.json lists there, merged into one list of results and one set of filter counts.
//
// Pagefind's interface starts loading the filters and runs the first search at the same
// moment, and a search counts each filter value only over the filters loaded by then: a
// query in the address could show "Beginner (0)" beside thirty beginner results, and keep
// showing it. So the parts are merged and every filter loaded here, as the page opens, in
// the same Pagefind module (one per address) that the interface searches with, and the
// query in the address is searched for once they are.

const box = document.querySelector("[data-search]");

async function otherParts(bundle) {
  try {
    // Asked afresh every time, as Pagefind asks for its own entry file: a new build may
    // have parts the browser has not seen.
    const answer = await fetch(new URL("parts.json", bundle), { cache: "no-cache" });
    if (!answer.ok) throw new Error(`status ${answer.status}`);
    const folders = await answer.json();
    return folders.map((folder) => new URL(folder, bundle).pathname);
  } catch (error) {
    // Offline, say: the first part still answers, for the pages it holds.
    console.warn(`Search: the list of the index's parts could not be read (${error}); ` +
                 "searching its first part only");
    return [];
  }
}

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

async function load(bundle) {
  try {
    const pagefind = await import(new URL("pagefind.js", bundle));
    for (const part of await otherParts(bundle)) await pagefind.mergeIndex(part);
    await pagefind.filters();
  } catch (error) {
    console.warn(`Search: the index could not be made ready (${error})`);
  }
}

const script = document.querySelector("script[src$='pagefind-ui.js']");
if (box && script && window.PagefindUI) {
  const ready = load(new URL(".", script.src));
  const ui = new window.PagefindUI({
    element: box,
    showImages: true,
    showSubResults: false,
    resetStyles: false,
    translations: { placeholder: "Search stretches, muscles and steps" },
    // A result shows the page's one-line summary, where the page has one.
    processResult(result) {
      if (result.meta.summary) result.excerpt = escapeHtml(result.meta.summary);
      delete result.meta.summary;  // shown as the excerpt, not again as a tag
      return result;
    },
    processTerm(term) {
      const address = new URL(window.location.href);
      if (term) address.searchParams.set("q", term);
      else address.searchParams.delete("q");
      window.history.replaceState(null, "", address);
      return term;
    },
  });
  // Pagefind names its box only with a title; give it a name of its own.
  box.querySelector("input")?.setAttribute("aria-label", "Search stretches, muscles and steps");
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ready.then(() => ui.triggerSearch(query));
}
