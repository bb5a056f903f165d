// datasette-vega mounts itself before the first table.rows-and-columns and throws
// ("Cannot read properties of null (reading 'parentNode')") on a page without one,
// such as a saved query with no results. Give it a hidden, empty table to attach to,
// so that an empty result is a quiet page, not a JavaScript error. Loaded as a module:
// it runs after the page is parsed and before DOMContentLoaded, when datasette-vega starts.
if (!document.querySelector("table.rows-and-columns") &&
    document.querySelector(".export-links a[href*=json]")) {
  const holder = document.createElement("div");
  holder.hidden = true;
  holder.className = "vega-guard";
  holder.appendChild(document.createElement("table")).className = "rows-and-columns";
  document.body.appendChild(holder);
}
