// Scrolls the accounts list down 60 px a frame for 3 s and returns every frame's length
// (ms), as requestAnimationFrame sees them. Arguments: [done].
const [done] = arguments;
const list = document.querySelector(".virtual-list");
const frames = [];
const end = performance.now() + 3000;
let last = performance.now();
const step = (now) => {
  frames.push(now - last);
  last = now;
  list.scrollTop += 60;
  if (now < end) requestAnimationFrame(step);
  else done(frames.slice(1));
};
requestAnimationFrame(step);
