// Visible text that is cut: an element whose content is wider than its box where the
// overflow is hidden, elided or scrolls sideways, or taller where it is hidden; and a page
// wider than the window. Run by AppWindow::cut_text; returns one line per finding.
const out = [];
const root = document.documentElement;
if (root.scrollWidth > window.innerWidth + 1) {
  out.push(`the page is ${root.scrollWidth} px wide in a ${window.innerWidth} px window`);
}
for (const el of document.body.querySelectorAll("*")) {
  if (el.tagName === "INPUT" || el.closest(".visually-hidden") || !el.textContent.trim()) continue;
  const style = getComputedStyle(el);
  if (style.display === "none" || style.visibility === "hidden") continue;
  const wide = style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1;
  const clipsY = style.overflowY === "hidden" || style.overflowY === "clip";
  const tall = clipsY && el.scrollHeight > el.clientHeight + 1;
  if (wide || tall) {
    const name = el.tagName.toLowerCase() + (el.className ? `.${el.className}` : "");
    out.push(`${name}: "${el.textContent.trim().slice(0, 60)}" needs ${el.scrollWidth}x${el.scrollHeight} px, has ${el.clientWidth}x${el.clientHeight}`);
  }
}
return out;
