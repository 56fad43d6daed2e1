// Plain forms marked data-ayllu-csrf (the log-out button): pages carry no CSRF token, so the token of
// Django's CSRF cookie is put in the form's csrfmiddlewaretoken field as the form is sent. Without
// JavaScript the form arrives without it and the node answers with a page that says so.

import { csrfToken } from "./messages.js";

for (const form of document.querySelectorAll("form[data-ayllu-csrf]")) {
  form.addEventListener("submit", () => {
    let field = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "csrfmiddlewaretoken";
      form.append(field);
    }
    field.value = csrfToken();
  });
}
