// Passkey ceremonies with @simplewebauthn/browser (window.SimpleWebAuthnBrowser): the server's
// options in, the authenticator's answer out to the API. Three buttons use it, each with its URLs
// in data-* attributes:
//   [data-passkey-register]  the Passkeys page: add one (named by the form's `name` field)
//   [data-passkey-login]     the login page (password-less) and the code page (data-second-factor)
// Messages for people come from the template (data-*), not from this file.
(() => {
  const browser = window.SimpleWebAuthnBrowser;

  function showError(button, error) {
    const box = document.getElementById(button.dataset.errorBox);
    // The browser's own words when the person cancels or no passkey fits; the API's otherwise.
    const cancelled = error && error.name === "NotAllowedError";
    box.textContent = cancelled ? button.dataset.cancelled : error.message || String(error);
    box.hidden = false;
  }

  async function register(button) {
    const form = button.closest("form");
    const name = form.elements.name.value.trim();
    if (!name) {
      form.reportValidity();
      return;
    }
    const optionsJSON = await mediahub.api("POST", button.dataset.optionsUrl);
    const credential = await browser.startRegistration({ optionsJSON });
    const passkey = await mediahub.api("POST", button.dataset.registerUrl, { name, credential });
    const codes = passkey.recovery_codes || [];
    if (!codes.length) {
      window.location.reload();
      return;
    }
    // The first second factor comes with recovery codes: shown here, once.
    const section = document.getElementById(button.dataset.codesBox);
    const list = section.querySelector("ul");
    list.replaceChildren(...codes.map((code) => {
      const item = document.createElement("li");
      const text = document.createElement("code");
      text.textContent = code;
      item.append(text);
      return item;
    }));
    section.hidden = false;
    form.reset();
  }

  async function logIn(button) {
    const secondFactor = button.dataset.secondFactor === "true";
    const optionsJSON = await mediahub.api("POST", button.dataset.optionsUrl, { second_factor: secondFactor });
    const credential = await browser.startAuthentication({ optionsJSON });
    const reply = await mediahub.api("POST", button.dataset.loginUrl, { credential, next: button.dataset.next || "" });
    window.location.assign(reply.next);
  }

  function wire(selector, ceremony) {
    for (const button of document.querySelectorAll(selector)) {
      if (!browser || !browser.browserSupportsWebAuthn()) {
        button.hidden = true;
        continue;
      }
      button.addEventListener("click", async () => {
        button.disabled = true;
        document.getElementById(button.dataset.errorBox).hidden = true;
        try {
          await ceremony(button);
        } catch (error) {
          showError(button, error);
        } finally {
          button.disabled = false;
        }
      });
    }
  }

  wire("[data-passkey-register]", register);
  wire("[data-passkey-login]", logIn);
})();
