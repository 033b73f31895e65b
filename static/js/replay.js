// The replay stepper: the server renders every step; this shows one at a time and moves
// between them with the buttons, the slider and the keyboard (← → Home End). The URL
// keeps ?turn= so a step can be shared, and the view-as form carries it along.
const _ = (s) => (window.gettext ? window.gettext(s) : s);

const stepper = document.getElementById("stepper");
const steps = [...document.querySelectorAll("section.step")];
const numbers = steps.map((s) => Number(s.dataset.step));
const slider = document.getElementById("slider");
const label = document.getElementById("step-label");
const asForm = document.getElementById("view-as");
const asTurn = document.getElementById("view-as-turn");
let index = Math.max(0, numbers.indexOf(Number(stepper.dataset.current)));

function show(i) {
  index = Math.min(Math.max(i, 0), steps.length - 1);
  steps.forEach((s, k) => { s.hidden = k !== index; });
  const n = numbers[index];
  slider.value = n;
  asTurn.value = n;
  document.getElementById("prev").disabled = index === 0;
  document.getElementById("next").disabled = index === steps.length - 1;
  const heading = steps[index].querySelector("h2");
  const text = `${index + 1} / ${steps.length}: ${heading.firstChild.textContent.trim()}`;
  label.textContent = text;
  const url = new URL(window.location.href);
  url.searchParams.set("turn", n);
  url.hash = "";
  window.history.replaceState(null, "", url);
}

document.getElementById("prev").addEventListener("click", () => show(index - 1));
document.getElementById("next").addEventListener("click", () => show(index + 1));
slider.addEventListener("input", () => {
  const target = Number(slider.value);
  const found = numbers.indexOf(target);
  show(found >= 0 ? found : numbers.findIndex((n) => n >= target));
});
document.addEventListener("keydown", (event) => {
  const tag = (event.target.tagName || "").toLowerCase();
  if (["input", "textarea", "select"].includes(tag) && event.target !== slider) return;
  if (event.target === slider) return; // the slider handles its own arrows
  const moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: steps.length - 1 };
  if (event.key in moves) {
    event.preventDefault();
    show(moves[event.key]);
  }
});
document.getElementById("as").addEventListener("change", () => asForm.requestSubmit());

stepper.hidden = false;
show(index);
