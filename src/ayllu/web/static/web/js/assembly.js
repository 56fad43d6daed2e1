// The assembly pages' helpers around signed act forms (act-form.js signs and sends; this fills fields).
//
//   input[data-ayllu-ms-for="body.x"]   a datetime-local input that writes its time, in ms, into the
//                                       hidden field body.x (the record counts time in ms)
//   form [data-ayllu-ranked]            numbered selects (place 1, 2, ...) that write the ranking, best
//                                       first, into the hidden field marked data-ayllu-ranking
//   form[data-ayllu-options]            a matter select: a "choice" shows the option fields, which write
//                                       the list of options into the hidden body.options
//   form[data-ayllu-goto="…/0/"]        once recorded, go to that URL with the new entry's number
//   form[data-ayllu-effect]             fields named "effect.<name>" write the proposal's effect, as a JSON
//                                       object, into the hidden body.effect (data-ayllu-kind="int": a number;
//                                       "list": checked boxes and filled fields, with data-ayllu-prefix)
//   [data-ayllu-majority-for="x"]       shown only while the select named x says "majority"
//   [data-ayllu-title-source]           copies the chosen option's words (a select) or the words typed
//                                       (an input) into the form's [data-ayllu-title-target] until the
//                                       member edits it, after its data-ayllu-title-prefix if it has one
//   [data-ayllu-live]                   the live part of a meeting (htmx polls it): no refresh while the
//                                       member is typing in it; its forms are bound again after a swap

import { bindActForm } from "./act-form.js";

function assemblyMessage(name) {
  const holder = document.querySelector(`[data-ayllu-assembly-messages] [data-msg="${name}"]`);
  return holder ? holder.textContent.trim() : name;
}

function bindTimes(root) {
  for (const input of root.querySelectorAll("input[data-ayllu-ms-for]")) {
    const name = input.getAttribute("data-ayllu-ms-for");
    const target = input.form && input.form.querySelector(`[name="${name}"]`);
    if (!target) continue;
    input.addEventListener("change", () => {
      const ms = new Date(input.value).getTime();
      target.value = Number.isFinite(ms) ? String(ms) : "";
    });
  }
}

function bindRanking(form) {
  const hidden = form.querySelector("[data-ayllu-ranking]");
  const selects = Array.from(form.querySelectorAll("select[data-ayllu-rank]"));
  const update = () => {
    const seen = new Set();
    const ranking = [];
    for (const select of selects) {
      select.setCustomValidity("");
      if (!select.value) continue;
      if (seen.has(select.value)) {
        select.setCustomValidity(assemblyMessage("duplicate_rank"));
        continue;
      }
      seen.add(select.value);
      ranking.push(select.value);
    }
    hidden.value = JSON.stringify(ranking);
  };
  selects.forEach((select) => select.addEventListener("change", update));
  update();
}

function bindOptions(form) {
  const matter = form.querySelector("[data-ayllu-matter]");
  const fields = form.querySelector("[data-ayllu-option-fields]");
  const hidden = form.querySelector("input[name='body.options']");
  const inputs = Array.from(form.querySelectorAll("input[data-ayllu-option]"));
  const update = () => {
    const choice = matter.value === "choice";
    fields.hidden = !choice;
    hidden.disabled = !choice;
    inputs.forEach((input) => (input.required = choice && inputs.indexOf(input) < 2));
    hidden.value = JSON.stringify(inputs.map((input) => input.value.trim()).filter(Boolean));
  };
  matter.addEventListener("change", update);
  inputs.forEach((input) => input.addEventListener("input", update));
  update();
}

function bindGoto(form) {
  form.addEventListener("ayllu:act-recorded", (event) => {
    const url = form.getAttribute("data-ayllu-goto");
    window.location.assign(url.replace(/\/0\/$/, `/${event.detail.seq}/`));
  });
}

const EFFECT = "effect.";

function bindEffect(form) {
  const hidden = form.querySelector("input[name='body.effect']");
  const update = () => {
    const effect = {};
    for (const field of form.elements) {
      if (!field.name || !field.name.startsWith(EFFECT)) continue;
      const name = field.name.slice(EFFECT.length);
      const kind = field.getAttribute("data-ayllu-kind");
      if (kind === "list") {
        // checked boxes and filled text fields; a text field may carry a prefix (a power's "represent_in:")
        const value = field.type === "checkbox" ? (field.checked ? field.value : "") : field.value.trim();
        effect[name] = effect[name] || [];
        if (value) effect[name].push((field.getAttribute("data-ayllu-prefix") || "") + value);
        continue;
      }
      effect[name] = kind === "int" ? Number(field.value) : field.value;
    }
    hidden.value = JSON.stringify(effect);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", update, { capture: true }); // before act-form.js reads the body
  update();
}

function bindMajority(block) {
  const form = block.closest("form");
  const select = form && form.querySelector(`select[name="${block.getAttribute("data-ayllu-majority-for")}"]`);
  if (!select) return;
  const update = () => (block.hidden = select.value !== "majority");
  select.addEventListener("change", update);
  update();
}

function bindTitle(source) {
  const target = source.form && source.form.querySelector("[data-ayllu-title-target]");
  if (!target) return;
  const prefix = target.getAttribute("data-ayllu-title-prefix");
  let edited = false;
  target.addEventListener("input", () => (edited = true));
  const copy = () => {
    if (edited) return;
    const words = source.tagName === "SELECT"
      ? (source.selectedOptions[0] ? source.selectedOptions[0].textContent.trim() : "")
      : source.value.trim();
    target.value = (prefix ? (words ? `${prefix}: ${words}` : prefix) : words).slice(0, 200);
  };
  source.addEventListener(source.tagName === "SELECT" ? "change" : "input", copy);
}

function busy(live) {
  const active = document.activeElement;
  if (active && live.contains(active) && active.matches("input, textarea, select")) return true;
  return Array.from(live.querySelectorAll("textarea, input:not([type=hidden])")).some((f) => f.value !== "");
}

bindTimes(document);
document.querySelectorAll("form [data-ayllu-ranked]").forEach((set) => bindRanking(set.form || set.closest("form")));
document.querySelectorAll("form[data-ayllu-options]").forEach(bindOptions);
document.querySelectorAll("form[data-ayllu-goto]").forEach(bindGoto);
document.querySelectorAll("form[data-ayllu-effect]").forEach(bindEffect);
document.querySelectorAll("[data-ayllu-majority-for]").forEach(bindMajority);
document.querySelectorAll("[data-ayllu-title-source]").forEach(bindTitle);

document.addEventListener("htmx:beforeRequest", (event) => {
  const live = event.target.closest && event.target.closest("[data-ayllu-live]");
  if (live && busy(live)) event.preventDefault();
});
document.addEventListener("htmx:load", (event) => {
  const element = event.detail.elt;
  if (element && element.matches && element.matches("[data-ayllu-live]")) {
    element.querySelectorAll("form[data-ayllu-act]").forEach(bindActForm);
  }
});

// On a phone the sections' row scrolls sideways inside itself: show the current one.
const sections = document.querySelector(".assembly-nav__list");
const currentSection = sections && sections.querySelector("[aria-current=page]");
if (currentSection && sections.scrollWidth > sections.clientWidth) {
  const box = sections.getBoundingClientRect();
  const tab = currentSection.getBoundingClientRect();
  sections.scrollLeft += tab.left - box.left - (box.width - tab.width) / 2;
}
