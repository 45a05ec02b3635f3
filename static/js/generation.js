// "Copy prompt" in the detail view's Generation section (templates/assets/_generation.html).
// The Clipboard API needs a secure context (https or localhost): on a plain-http address the text
// is selected and copied the old way, or left selected for the user to copy.
(() => {
  "use strict";

  function copyBySelection(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return document.execCommand && document.execCommand("copy");
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy-prompt]");
    if (!button) return;
    const section = button.closest("[data-generation]");
    const prompt = section.querySelector("[data-prompt]");
    const status = section.querySelector("[data-copy-status]");
    let copied = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(prompt.textContent);
        copied = true;
      } else {
        copied = copyBySelection(prompt);
      }
    } catch (error) {
      copied = copyBySelection(prompt);
    }
    status.textContent = copied ? gettext("Copied") : gettext("Selected: press Ctrl+C (⌘C) to copy");
  });
})();
