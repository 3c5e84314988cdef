// Types each query into the header's search field, one character at a time as a person
// would (an `input` event each), and records how long each keystroke took to change the
// results popup. Arguments: [queries, done].
const [queries, done] = arguments;
const input = document.querySelector("input[type=search][name=q]");
const box = document.querySelector(".global-search");
const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
const samples = [];
let t0 = 0;
const seen = new MutationObserver(() => {
  if (t0) {
    samples.push(performance.now() - t0);
    t0 = 0;
  }
});
seen.observe(box, { childList: true, subtree: true, characterData: true });
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  input.focus();
  for (const q of queries) {
    setter.call(input, "");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await wait(150);
    for (let i = 1; i <= q.length; i++) {
      setter.call(input, q.slice(0, i));
      t0 = performance.now();
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await wait(300);
      t0 = 0;
    }
  }
  seen.disconnect();
  done(samples);
})();
