// Votes without a reload: a vote form (<form class="js-vote" data-direction="1|-1">,
// from summaries/_vote.html and _comment_vote.html) is posted with fetch() and its widget
// updated from the JSON answer {"score": n, "vote": 1|-1|0}. Without this script the
// same forms post normally and the server redirects back to the page.
(function () {
  "use strict";

  // Refusals come as {"error": "..."} (403; 429 says which limit and when to retry),
  // shown as they are. 404 (not votable) and a redirect to sign-in come as HTML pages,
  // and get a sentence here instead; so does a 429 without a message.
  var MESSAGES = {
    403: "You cannot vote on this.",
    404: "This can no longer be voted on.",
    429: "Too many votes in a short while. Please wait a few minutes.",
  };

  function field(form, name) {
    return form.elements.namedItem(name);
  }

  function setError(widget, message) {
    var error = widget.querySelector(".vote__error");
    if (!error) return;
    error.textContent = message;
    error.hidden = !message;
  }

  // Show the new score and which button is pressed; a pressed button's form now takes
  // the vote back (value 0), the others cast their own direction.
  function update(widget, data) {
    widget.querySelector(".js-vote-score").textContent = String(data.score);
    widget.querySelectorAll("form.js-vote").forEach(function (form) {
      var direction = Number(form.dataset.direction);
      var pressed = data.vote === direction;
      form.querySelector("button").setAttribute("aria-pressed", pressed ? "true" : "false");
      field(form, "value").value = pressed ? "0" : String(direction);
    });
  }

  function send(form) {
    var widget = form.closest(".vote");
    var buttons = widget.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    setError(widget, "");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": field(form, "csrfmiddlewaretoken").value },
    }).then(function (response) {
      // A lapsed session ends on the sign-in page, which is HTML.
      if (response.redirected) throw new Error("Please sign in again to vote.");
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || MESSAGES[response.status]);
        update(widget, data);
      }, function () {
        throw new Error(MESSAGES[response.status] || "The vote failed (" + response.status + ").");
      });
    }).catch(function (error) {
      // fetch() itself rejects with a TypeError when the network is down.
      var offline = error instanceof TypeError;
      setError(widget, (!offline && error.message) || "The vote could not be sent. Please try again.");
    }).finally(function () {
      buttons.forEach(function (button) { button.disabled = false; });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("js-vote")) return;
    event.preventDefault();
    send(form);
  });
})();
