// "Check the whole record on this phone": fetch the node's latest checkpoint, then every entry and every
// public body it covers, page by page from the node's /fed/ endpoints, and check them with
// record-verify.js (steps 1-7 and 9 of docs/record-format.md section 11, and of the rules only the
// founding). The page
// gives the URLs and every word (data-msg spans), so this script holds no text of its own. The verifier
// itself is loaded only when the member asks for the check, so the page's first load stays light.

const PAGE = 500; // entries per request (the node serves at most 5,000)
const CHUNK = 100; // entries checked between two breaths, so a cheap phone stays responsive

const enc = new TextEncoder();

function say(section, name, values = {}) {
  const holder = section.querySelector(`[data-ayllu-record-check-messages] [data-msg="${name}"]`);
  let text = holder ? holder.textContent.trim() : name;
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`{${key}}`, value);
  return text;
}

/** The problem's sentence (the page gives one per code), then `text`. */
function withReason(section, code, text) {
  const reason = say(section, `code:${code}`);
  return reason === `code:${code}` ? text : `${reason} ${text}`;
}

function number(section, n) {
  return new Intl.NumberFormat(document.documentElement.lang || undefined).format(n);
}

function breathe() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function lines(buffer) {
  const bytes = new Uint8Array(buffer);
  const out = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      out.push(bytes.slice(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(bytes.slice(start));
  return out;
}

async function fetchBytes(url) {
  const response = await fetch(url, { credentials: "omit", cache: "no-store" });
  if (!response.ok) throw Object.assign(new Error("fetch"), { status: response.status });
  return response.arrayBuffer();
}

function ranged(url, first, last) {
  const u = new URL(url, location.href);
  u.searchParams.set("from", String(first));
  u.searchParams.set("to", String(last));
  return u.toString();
}

async function fetchBodies(ERASED, url, first, last) {
  const found = new Map();
  const dec = new TextDecoder();
  for (const line of lines(await fetchBytes(ranged(url, first, last)))) {
    const item = JSON.parse(dec.decode(line));
    found.set(`${item.hash}/${item.vis}`, item.erased ? ERASED : { bytes: enc.encode(item.body), vis: item.vis });
  }
  return (hash, vis) => found.get(`${hash}/${vis}`) ?? null;
}

function show(section, text, state) {
  const status = section.querySelector("[data-ayllu-record-check-status]");
  const line = document.createElement("p");
  line.textContent = text;
  status.replaceChildren(line);
  status.classList.toggle("proof-check__status--ok", state === "ok");
  status.classList.toggle("proof-check__status--bad", state === "bad");
  status.setAttribute("role", state === "bad" ? "alert" : "status");
  section.dataset.state = state;
}

function progress(section, done, total) {
  const bar = section.querySelector("[data-ayllu-record-check-progress]");
  bar.max = Math.max(total, 1);
  bar.value = done;
  bar.hidden = false;
  show(section, say(section, "progress", { checked: number(section, done), total: number(section, total) }), "running");
}

/** Check the record whose URLs the section names; resolve to the verifier's report. */
export async function checkRecord(section) {
  const { log, checkpointUrl, entriesUrl, bodiesUrl } = section.dataset;
  const { ERASED, RecordVerifier } = await import("./record-verify.js");
  show(section, say(section, "starting"), "running");
  let checkpoint = null;
  try {
    checkpoint = new Uint8Array(await fetchBytes(checkpointUrl));
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  if (checkpoint === null) {
    show(section, say(section, "no_checkpoint"), "bad");
    return null;
  }
  let total = 0;
  try {
    total = JSON.parse(new TextDecoder().decode(checkpoint)).size;
  } catch {
    total = 0; // the verifier names what is wrong with it
  }
  const verifier = new RecordVerifier({ log, visible: ["public"], checkpoints: [checkpoint] });
  let going = await verifier.start();
  progress(section, 0, total);
  for (let first = 1; going && Number.isSafeInteger(total) && first <= total; first += PAGE) {
    const last = Math.min(first + PAGE - 1, total);
    const [entries, lookup] = await Promise.all([
      fetchBytes(ranged(entriesUrl, first, last)).then(lines),
      fetchBodies(ERASED, bodiesUrl, first, last),
    ]);
    for (let at = 0; going && at < entries.length; at += CHUNK) {
      going = await verifier.add(entries.slice(at, at + CHUNK), lookup);
      progress(section, verifier.size, total);
      await breathe();
    }
    if (entries.length < last - first + 1) break; // the node served fewer: step 3 says so
  }
  const report = await verifier.finish();
  const founding = report.founding;
  if (report.ok && founding !== null && founding !== "not_checked") {
    show(section, withReason(section, founding, say(section, "bad_founding", { code: founding })), "bad");
  } else if (report.ok) {
    const words = [say(section, "ok", { total: number(section, report.size) })];
    words.push(say(section, founding === null ? "founding_ok" : "not_replayed"));
    show(section, words.join(" "), "ok");
  } else {
    const { seq, code } = report.problem;
    const where = seq === null ? say(section, "bad_evidence", { code }) : say(section, "bad", { seq: number(section, seq), code });
    show(section, withReason(section, code, where), "bad");
  }
  section.dataset.size = String(report.size);
  section.dataset.code = report.problem ? report.problem.code : founding || "";
  return report;
}

async function run(section, button) {
  button.disabled = true;
  try {
    await checkRecord(section);
  } catch {
    show(section, say(section, "unreachable"), "bad");
  } finally {
    button.disabled = false;
  }
}

const section = document.querySelector("[data-ayllu-record-check]");
if (section) {
  const button = section.querySelector("[data-ayllu-record-check-run]");
  if (!(window.crypto && crypto.subtle)) {
    show(section, say(section, "unsupported"), "bad");
  } else {
    button.hidden = false;
    button.addEventListener("click", () => run(section, button));
  }
}
