// vega-embed's menu button on each chart (save as SVG or PNG, view the source) is a
// <summary> holding only an icon, so a screen reader announces it with no name. Charts are
// drawn when their data arrive, after the page has loaded, so each menu is named as it
// appears. Loaded as a module: it runs once the body exists.
const NAME = "Chart menu: save the chart as SVG or PNG, or view its source";
const nameMenus = () => document.querySelectorAll(".vega-embed summary:not([aria-label])")
  .forEach((summary) => summary.setAttribute("aria-label", NAME));
new MutationObserver(nameMenus).observe(document.body, { childList: true, subtree: true });
nameMenus();
