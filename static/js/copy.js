// "Copy to clipboard" buttons: <button class="js-copy" data-copy-target="ID" hidden>.
// They stay hidden without JavaScript; the text itself is selectable anyway.
(function () {
  "use strict";
  document.querySelectorAll(".js-copy").forEach(function (button) {
    var target = document.getElementById(button.dataset.copyTarget);
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent).then(function () {
        button.textContent = "Copied";
      });
    });
  });
})();
