// The cargo pages' helper around signed act forms (act-form.js signs and sends; this fills fields).
//
//   form[data-ayllu-effect-form]        a form that tables a decision (an exemption, a mandate): its
//                                       fields marked data-ayllu-effect="name" are written, as one JSON
//                                       object, into the hidden body.effect; a field marked
//                                       data-ayllu-effect-kind="date" gives that day's start in ms (the
//                                       record counts time in ms), "int" an integer
//   [data-ayllu-title-field]            the hidden body.title, written from data-ayllu-title (a prefix)
//                                       and the first two effect fields' words: data-ayllu-title-word
//                                       where given (a federation's name for its log id), a select's
//                                       chosen option's text, or else the value
//   [data-ayllu-mandate-question]       a select of a federation's open questions: each option's
//                                       data-positions (ballot codes) are the only choices left enabled
//                                       in the form's [data-ayllu-mandate-position] select
//   [data-ayllu-digits]                 a typed question number: refused (translated) unless digits
//   [data-ayllu-ballot-codes]           a typed position: refused (translated) unless one of the codes
// Both are kept up to date on every change, so act-form.js reads finished fields when it signs; a
// refused field's custom validity stops the form before anything is signed.

function cargoMessage(name) {
  const holder = document.querySelector(`[data-ayllu-cargo-messages] [data-msg="${name}"]`);
  return holder ? holder.textContent.trim() : name;
}

function effectValue(field) {
  const kind = field.getAttribute("data-ayllu-effect-kind");
  if (kind === "date") {
    const ms = new Date(`${field.value}T00:00:00`).getTime();
    return Number.isFinite(ms) ? ms : null;
  }
  if (kind === "int") return Number.parseInt(field.value, 10);
  return field.value.trim();
}

/** What a field adds to the title: its data-ayllu-title-word (a federation's name for its log id), a
 * select's chosen words (not its code), or its value. */
function titleWord(field) {
  const word = field.getAttribute("data-ayllu-title-word");
  if (word) return word;
  if (field.tagName === "SELECT") return field.selectedOptions.length ? field.selectedOptions[0].text : "";
  return field.value;
}

function bindEffect(form) {
  const hidden = form.querySelector("input[name='body.effect']");
  const title = form.querySelector("[data-ayllu-title-field]");
  const fields = Array.from(form.querySelectorAll("[data-ayllu-effect]"));
  const question = form.querySelector("[data-ayllu-mandate-question]");
  const position = form.querySelector("[data-ayllu-mandate-position]");
  const digits = form.querySelector("[data-ayllu-digits]");
  const typed = form.querySelector("[data-ayllu-ballot-codes]");
  const update = () => {
    if (question && position && question.selectedOptions.length) {
      const fits = (question.selectedOptions[0].getAttribute("data-positions") || "").split(" ");
      for (const option of position.options) option.disabled = !fits.includes(option.value);
      if (position.selectedOptions.length && position.selectedOptions[0].disabled) {
        const first = Array.from(position.options).find((o) => !o.disabled);
        if (first) position.value = first.value;
      }
    }
    if (digits) {
      const bad = digits.value.trim() !== "" && !/^[0-9]+$/.test(digits.value.trim());
      digits.setCustomValidity(bad ? cargoMessage("not_a_question_number") : "");
    }
    if (typed) {
      const codes = typed.getAttribute("data-ayllu-ballot-codes").split(" ");
      const bad = typed.value.trim() !== "" && !codes.includes(typed.value.trim());
      typed.setCustomValidity(bad ? cargoMessage("not_a_ballot_code") : "");
    }
    const effect = {};
    for (const field of fields) effect[field.getAttribute("data-ayllu-effect")] = effectValue(field);
    const end = form.querySelector("[data-ayllu-effect='end']");
    if (end) {
      const late = effect.start !== null && effect.end !== null && effect.end <= effect.start;
      end.setCustomValidity(late ? cargoMessage("end_before_start") : "");
    }
    hidden.value = JSON.stringify(effect);
    if (title) {
      const prefix = form.querySelector("[data-ayllu-title]");
      const words = fields.slice(0, 2).map((f) => titleWord(f).trim()).filter(Boolean).join(" · ");
      title.value = `${prefix.getAttribute("data-ayllu-title")}: ${words}`.slice(0, 200);
    }
  };
  fields.forEach((field) => {
    field.addEventListener("input", update);
    field.addEventListener("change", update);
  });
  update();
}

document.querySelectorAll("form[data-ayllu-effect-form]").forEach(bindEffect);
