// A thread page: "Quote and reply" quotes the passage the reader selected in that post (without a
// selection, or without JavaScript, the link reloads the page with the whole post quoted).
const textarea = document.getElementById("reply-body");
const replyTo = document.querySelector('.reply-form input[name="reply_to"]');

function selectedIn(post) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed) return "";
  const body = post.querySelector(".post-body");
  if (!body || !body.contains(selection.anchorNode) || !body.contains(selection.focusNode)) return "";
  return selection.toString().trim();
}

function asQuote(text) {
  return text.split("\n").map((line) => (line ? `> ${line}` : ">")).join("\n") + "\n\n";
}

if (textarea && replyTo) {
  for (const link of document.querySelectorAll(".quote-link")) {
    // The selection is gone by the time of the click on some browsers: remember it on pointerdown.
    let passage = "";
    link.addEventListener("pointerdown", () => {
      passage = selectedIn(link.closest(".post"));
    });
    link.addEventListener("click", (event) => {
      const text = passage || selectedIn(link.closest(".post"));
      if (!text) return; // the server quotes the whole post
      event.preventDefault();
      textarea.value = asQuote(text) + textarea.value;
      replyTo.value = link.dataset.post;
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    });
  }
}
