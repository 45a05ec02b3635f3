// Libraries page: "Use this folder" in the directory picker fills the path field.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-pick]");
  if (!button) return;
  document.getElementById("library-path").value = button.dataset.pick;
  document.getElementById("directory-picker").replaceChildren();
});
