// Links to pass on (web/includes/share_link.html): a "share" button where the browser has a share sheet
// (the Web Share API, on phones), a "copy" button otherwise (or as well), and the address itself, which
// can be selected and copied without JavaScript. A holder marked data-ayllu-share-text passes on a text
// (a citation of a record's entry) rather than an address.

function copyBySelection(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

async function copy(url, element) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(url);
      return true;
    } catch {
      // fall back to selecting the text
    }
  }
  return copyBySelection(element);
}

function bind(holder) {
  const shown = holder.querySelector("[data-ayllu-share-url]");
  const url = shown.textContent.trim();
  const status = holder.querySelector("[data-ayllu-share-status]");
  const shareButton = holder.querySelector("[data-ayllu-share-button]");
  const copyButton = holder.querySelector("[data-ayllu-copy-button]");
  // A text to pass on whole (a citation), not an address: shared as text.
  const shared = holder.hasAttribute("data-ayllu-share-text") ? { text: url } : { url };
  if (navigator.share && (!navigator.canShare || navigator.canShare(shared))) {
    shareButton.hidden = false;
    shareButton.addEventListener("click", async () => {
      try {
        await navigator.share(shared);
      } catch {
        // the member closed the share sheet: nothing to say
      }
    });
  }
  copyButton.hidden = false;
  copyButton.addEventListener("click", async () => {
    const done = await copy(url, shown);
    status.textContent = done ? status.dataset.copied : status.dataset.failed;
    holder.dataset.state = done ? "copied" : "failed";
  });
}

for (const holder of document.querySelectorAll("[data-ayllu-share]:not([data-bound])")) {
  holder.dataset.bound = "";
  bind(holder);
}
