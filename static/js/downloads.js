// Downloads the page fetches itself so it can show their progress and what was left out: a ZIP of
// a selection (selection.js calls mediahub.download), an export copy of one photo, or a ZIP of
// copies of a selection (the Export dialog below). The server sends Content-Length where it knows
// it, so the bar fills for real; X-Left-Out says how many photos the caller may not download.
// Plain links (a folder's or a person's ZIP) are left to the browser's own download, which shows
// its progress from the same Content-Length.
(() => {
  const errorOf = async (response) => {
    const reply = await response.json().catch(() => ({}));
    const fields = reply && typeof reply === "object" ? Object.values(reply).flat().join(" ") : "";
    return new Error(reply.detail || fields || response.statusText || `HTTP ${response.status}`);
  };

  // RFC 5987 `filename*=UTF-8''...` first, the ASCII `filename="..."` else.
  const nameOf = (response) => {
    const header = response.headers.get("Content-Disposition") || "";
    const encoded = header.match(/filename\*=UTF-8''([^;]+)/i);
    if (encoded) return decodeURIComponent(encoded[1]);
    return (header.match(/filename="([^"]+)"/i) || [])[1] || "download";
  };

  const save = (blob, name) => {
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  };

  const megabytes = (bytes) => `${(bytes / 1048576).toLocaleString(document.documentElement.lang || undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;

  // Fetch `url`, filling `progress` (a <progress>) as the bytes come, then save the answer.
  async function download(url, { method = "GET", body, progress, say = () => {} } = {}) {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", ...mediahub.csrfHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    if (!response.ok) throw await errorOf(response);
    const total = Number(response.headers.get("Content-Length")) || 0;
    if (progress) {
      progress.hidden = false;
      progress.max = total || 1;
      if (total) progress.value = 0; else progress.removeAttribute("value"); // unknown length: busy
    }
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      if (progress && total) progress.value = received;
      say(total ? interpolate(gettext("%(received)s of %(total)s"), { received: megabytes(received), total: megabytes(total) }, true) : `${megabytes(received)}…`);
    }
    if (progress) progress.hidden = true;
    const name = nameOf(response);
    save(new Blob(chunks, { type: response.headers.get("Content-Type") || "" }), name);
    return { name, bytes: received, leftOut: Number(response.headers.get("X-Left-Out") || 0) };
  }
  mediahub.download = download;

  // The Export dialog: one photo (a button with data-export-url) or a selection (a selection
  // bar's "export" event with the picked ids).
  const dialog = document.querySelector("[data-export-dialog]");
  if (!dialog) return;
  const form = dialog.querySelector("form");
  const status = dialog.querySelector("[data-export-status]");
  const say = (text, error = false) => {
    status.textContent = text;
    status.classList.toggle("error", error);
  };
  let target = null; // { url } for one photo, { ids } for a selection

  const open = (what, label) => {
    target = what;
    dialog.querySelector("[data-export-what]").textContent = label;
    say("");
    dialog.showModal();
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-export-url]");
    if (button) open({ url: button.dataset.exportUrl }, button.dataset.exportName || gettext("this photo"));
  });
  document.addEventListener("export", (event) => {
    const ids = event.detail.ids;
    open({ ids }, `${ids.length} photo${ids.length === 1 ? "" : "s"}`);
  });
  dialog.querySelector("[data-export-close]").addEventListener("click", () => dialog.close());

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const options = { format: data.get("format"), quality: Number(data.get("quality")), strip: data.get("strip") };
    if (data.get("max_size")) options.max_size = Number(data.get("max_size"));
    const go = form.querySelector("[type=submit]");
    go.disabled = true;
    say(gettext("Exporting…"));
    try {
      const progress = dialog.querySelector("progress");
      const reply = target.ids
        ? await download(dialog.dataset.batchUrl, { method: "POST", body: { ...options, ids: target.ids }, progress, say })
        : await download(target.url, { method: "POST", body: options, progress, say });
      say(reply.leftOut
        ? interpolate(gettext("Saved %(name)s; %(count)s left out (not a photo, or not yours to download)"), { name: reply.name, count: reply.leftOut }, true)
        : interpolate(gettext("Saved %(name)s"), { name: reply.name }, true));
    } catch (error) {
      say(interpolate(gettext("Export failed: %(error)s"), { error: error.message }, true), true);
    } finally {
      go.disabled = false;
    }
  });
})();
