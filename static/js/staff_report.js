// Staff report page: a response template fills the public response field.
const select = document.getElementById("template");
if (select) {
  select.addEventListener("change", () => {
    const target = document.getElementById(select.dataset.target);
    if (select.value && target && !target.value.trim()) target.value = select.value;
  });
}
