// Lips and Teeth: the game page's tabs on a phone or tablet (Situation, Moves, Messages,
// Results), plain sections on a laptop. Progressive: without this script every section shows.
//
// The template holds <nav class="tabbar" data-tabs> with one <button data-tab-for="NAME"> per
// tab, and marks each section with data-tab="NAME" (a tab may own several sections). Below the
// breakpoint this module makes the bar an ARIA tablist (aria-selected, aria-controls, roving
// tabindex, arrow keys, Home and End) and shows only the chosen tab's sections; above it, the
// roles are taken off again and everything shows. What sits outside every data-tab (the game
// header, the pause banner, the turn report) stays on top on every tab.
//
// Unread badges: a section's text changing while its tab is hidden (a message arrives, a turn
// resolves) counts one on its tab's badge, cleared when the tab is opened. It watches the DOM
// the page scripts render, so it needs nothing from them.

const _ = (s) => (window.gettext ? window.gettext(s) : s);
const fmt = (s, args) => (window.interpolate ? window.interpolate(s, args) : s.replace("%s", args[0]));
const PHONE = window.matchMedia("(max-width: 56.24rem)");

export function setupTabs(bar) {
  const tabs = [...bar.querySelectorAll("[data-tab-for]")];
  const panelsOf = (tab) => [...document.querySelectorAll(`[data-tab="${tab.dataset.tabFor}"]`)];
  const key = `lt-tab-${location.pathname}`;
  const unread = new Map(tabs.map((t) => [t, 0]));
  let current = tabs.find((t) => t.dataset.tabFor === sessionStorage.getItem(key)) || tabs[0];

  tabs.forEach((tab, i) => {
    tab.id ||= `tab-${tab.dataset.tabFor}`;
    panelsOf(tab).forEach((panel, j) => { panel.id ||= `panel-${tab.dataset.tabFor}-${j}`; });
    const badge = document.createElement("span");
    badge.className = "badge-count";
    badge.hidden = true;
    tab.append(badge);
    tab.addEventListener("click", () => select(tab, false));
    tab.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      select(tabs[(moves[event.key] + tabs.length) % tabs.length], true);
    });
  });

  function badgeOf(tab) {
    const badge = tab.querySelector(".badge-count");
    const n = unread.get(tab);
    badge.hidden = n === 0;
    badge.textContent = String(n);
    badge.setAttribute("aria-label", fmt(_("%s new"), [n]));
  }

  function select(tab, focus) {
    current = tab;
    unread.set(tab, 0);
    badgeOf(tab);
    try { sessionStorage.setItem(key, tab.dataset.tabFor); } catch (error) { /* no storage: fine */ }
    apply();
    if (focus) tab.focus();
  }

  function apply() {
    const phone = PHONE.matches;
    bar.hidden = !phone;
    if (phone) bar.setAttribute("role", "tablist");
    else bar.removeAttribute("role");
    for (const tab of tabs) {
      const on = tab === current;
      const panels = panelsOf(tab);
      if (phone) {
        tab.setAttribute("role", "tab");
        tab.setAttribute("aria-selected", String(on));
        tab.setAttribute("aria-controls", panels.map((p) => p.id).join(" "));
        tab.tabIndex = on ? 0 : -1;
      } else {
        for (const name of ["role", "aria-selected", "aria-controls", "tabindex"]) tab.removeAttribute(name);
      }
      for (const panel of panels) {
        panel.classList.toggle("tab-hidden", phone && !on);
        if (phone) {
          panel.setAttribute("role", "tabpanel");
          panel.setAttribute("aria-labelledby", tab.id);
        } else if (panel.getAttribute("role") === "tabpanel") {
          panel.removeAttribute("role");
          panel.removeAttribute("aria-labelledby");
        }
      }
    }
  }

  // Count a change of text in a hidden tab's sections (after the page has drawn itself).
  const seen = new Map();
  const watch = () => {
    bar.dataset.watching = "true";
    for (const tab of tabs) for (const panel of panelsOf(tab)) {
      if (panel.dataset.tabQuiet !== undefined) continue;
      seen.set(panel, panel.textContent);
      new MutationObserver(() => {
        const text = panel.textContent;
        if (text === seen.get(panel)) return;
        seen.set(panel, text);
        if (PHONE.matches && tab !== current) {
          unread.set(tab, unread.get(tab) + 1);
          badgeOf(tab);
        }
      }).observe(panel, { childList: true, subtree: true, characterData: true });
    }
  };
  PHONE.addEventListener("change", apply);
  apply();
  // The page scripts draw from page data and then catch up from the socket: start counting
  // once that first drawing has settled.
  window.addEventListener("load", () => setTimeout(watch, 1500));
}

const bar = document.querySelector("[data-tabs]");
if (bar) setupTabs(bar);
