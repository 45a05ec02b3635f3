// File operations on a writable library's folder page: the folder's own buttons (new folder,
// rename, move, copy, flatten, delete) and the selection bar's Move…/Copy…/Rename… (its events).
// Every request goes to the file-operations API (URLs and words from the page's data-*). A small
// operation answers done at once; a large one answers 202 and its progress is polled until it ends.
// Then the page shows where the files are now.
(() => {
  const box = document.querySelector("[data-fileops]");
  const dialog = document.querySelector("[data-fileops-dialog]");
  if (!box || !dialog) return;
  const library = Number(box.dataset.library);
  const here = box.dataset.path;
  const status = box.querySelector("[data-fileops-status]");
  const join = (folder, name) => (folder ? `${folder}/${name}` : name);
  const parentOf = (path) => path.split("/").slice(0, -1).join("/");
  const nameOf = (path) => path.split("/").pop();
  const show = (path) => {
    window.location.assign(path ? `${box.dataset.pageUrl}?path=${encodeURIComponent(path)}` : box.dataset.pageUrl);
  };
  const say = (text, error = false) => { status.textContent = text; status.classList.toggle("error", error); };

  // The dialog asks one value; resolves with it, or null when cancelled.
  const ask = (title, label, value) => new Promise((resolve) => {
    dialog.querySelector("[data-title]").textContent = title;
    dialog.querySelector("[data-label]").textContent = label;
    dialog.querySelector("[data-error]").textContent = "";
    const input = dialog.querySelector("[data-value]");
    input.value = value;
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok" ? input.value.trim() : null), { once: true });
    dialog.showModal();
    input.select();
  });

  const finished = async (operation) => {
    while (operation.state === "queued" || operation.state === "running") {
      say(box.dataset.textProgress.replace("{done}", operation.done).replace("{total}", operation.total));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      operation = await mediahub.api("GET", mediahub.withId(box.dataset.statusUrl, operation.id));
    }
    if (operation.state === "failed") throw new Error(operation.error);
    return operation;
  };

  // Sends one operation; `then(operation)` shows the result (a page to go to).
  const run = async (url, body, then) => {
    try {
      const operation = await finished(await mediahub.api("POST", url, { library, ...body }));
      then(operation);
    } catch (error) {
      say(`${box.dataset.textFailed} ${error.message}`, true);
    }
  };

  const folderActions = {
    "mkdir": async (button) => {
      const name = await ask(button.dataset.title, button.dataset.label, "");
      if (name) run(box.dataset.folderUrl, { path: join(here, name) }, () => show(join(here, name)));
    },
    "rename-folder": async (button) => {
      const name = await ask(button.dataset.title, button.dataset.label, nameOf(here));
      if (name) run(box.dataset.renameUrl, { path: here, name }, () => show(join(parentOf(here), name)));
    },
    "move-folder": async (button) => {
      const destination = await ask(button.dataset.title, button.dataset.label, parentOf(here));
      if (destination !== null) run(box.dataset.moveUrl, { paths: [here], destination }, () => show(join(destination, nameOf(here))));
    },
    "copy-folder": async (button) => {
      const destination = await ask(button.dataset.title, button.dataset.label, parentOf(here));
      if (destination !== null) run(box.dataset.copyUrl, { paths: [here], destination }, () => show(join(destination, nameOf(here))));
    },
    "flatten": (button) => {
      if (window.confirm(button.dataset.confirm)) run(box.dataset.flattenUrl, { path: here }, () => show(here));
    },
    "delete-folder": (button) => {
      if (window.confirm(button.dataset.confirm)) run(box.dataset.deleteUrl, { paths: [here] }, () => show(parentOf(here)));
    },
  };
  box.addEventListener("click", (event) => {
    const button = event.target.closest("[data-fileop]");
    if (button) folderActions[button.dataset.fileop](button);
  });

  // The selection bar's buttons (selection.js hands over the picked asset ids).
  const words = dialog.dataset;
  document.addEventListener("files-move", async (event) => {
    const destination = await ask(words.moveTitle, words.folderLabel, here);
    if (destination !== null) run(box.dataset.moveUrl, { assets: event.detail.ids, destination }, () => show(destination));
  });
  document.addEventListener("files-copy", async (event) => {
    const destination = await ask(words.copyTitle, words.folderLabel, here);
    if (destination !== null) run(box.dataset.copyUrl, { assets: event.detail.ids, destination }, () => show(destination));
  });
  document.addEventListener("files-rename", async (event) => {
    if (event.detail.ids.length !== 1) { say(box.dataset.textOne, true); return; }
    // A folder page's tiles are the files directly in it; a tile's title is its file name.
    const tile = document.querySelector(`.tile[data-asset="${CSS.escape(event.detail.ids[0])}"]`);
    const current = tile?.title || "";
    const name = await ask(words.renameTitle, words.nameLabel, current);
    if (name && current) run(box.dataset.renameUrl, { path: join(here, current), name }, () => show(here));
  });
})();
