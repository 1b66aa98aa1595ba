// The summary editor, enhanced: live preview rendered by the server's own renderer,
// a draft kept in localStorage across reloads, and "Add image" uploads.
// Without this script the form still works: write, submit, see the result.
(function () {
  "use strict";

  var form = document.querySelector("form.editor");
  if (!form) return;
  var textarea = form.querySelector("textarea[name=body]");
  var preview = form.querySelector(".editor__preview");
  var toolbar = form.querySelector(".editor__toolbar");
  var status = form.querySelector(".editor__status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var draftKey = form.dataset.draftKey;
  var timer = null;
  var lastPreviewed = null;

  function post(url, body, headers) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: Object.assign({ "X-CSRFToken": csrf, Accept: "application/json" }, headers || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "The server refused (" + response.status + ").");
        return data;
      }, function () {
        throw new Error("The server refused (" + response.status + ").");
      });
    });
  }

  function say(message) {
    status.textContent = message;
  }

  // Live preview: the same server function that renders on save, then KaTeX.
  function renderPreview() {
    var text = textarea.value;
    if (text === lastPreviewed) return;
    lastPreviewed = text;
    var body = new URLSearchParams();
    body.set("body", text);
    post(form.dataset.previewUrl, body).then(function (data) {
      if (text !== textarea.value) return; // a newer request is on its way
      // The HTML comes from our own renderer, sanitized by nh3 on the server.
      preview.innerHTML = data.html;
      if (window.ShortScience && window.ShortScience.typeset) window.ShortScience.typeset(preview);
    }).catch(function (error) {
      say("Preview unavailable: " + error.message);
    });
  }

  function schedulePreview() {
    clearTimeout(timer);
    timer = setTimeout(renderPreview, 350);
  }

  // Drafts: what is typed survives a reload or a closed tab until the form is sent.
  function saveDraft() {
    try {
      if (textarea.value === textarea.defaultValue) localStorage.removeItem(draftKey);
      else localStorage.setItem(draftKey, textarea.value);
    } catch (e) { /* storage full or disabled: the form still works */ }
  }

  function restoreDraft() {
    var draft = null;
    try { draft = localStorage.getItem(draftKey); } catch (e) { return; }
    if (draft !== null && draft !== textarea.value) {
      textarea.value = draft;
      say("Your unsaved draft was restored.");
    }
  }

  // Add image: upload to the site, then put the address on its own line at the cursor.
  function insertAtCursor(text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    var before = value.slice(0, start), after = value.slice(end);
    var line = (before && !before.endsWith("\n") ? "\n" : "") + text + "\n" + (after.startsWith("\n") ? "" : "\n");
    textarea.value = before + line + after;
    textarea.selectionStart = textarea.selectionEnd = before.length + line.length;
    textarea.dispatchEvent(new Event("input"));
    textarea.focus();
  }

  var fileInput = toolbar.querySelector(".js-image-input");
  toolbar.querySelector(".js-add-image").addEventListener("click", function () { fileInput.click(); });
  fileInput.addEventListener("change", function () {
    if (!fileInput.files.length) return;
    var data = new FormData();
    data.append("image", fileInput.files[0]);
    say("Uploading…");
    post(form.dataset.uploadUrl, data).then(function (result) {
      insertAtCursor(result.url);
      say("Image added.");
    }).catch(function (error) {
      say("Upload failed: " + error.message);
    }).finally(function () {
      fileInput.value = "";
    });
  });

  toolbar.hidden = false;
  preview.hidden = false;
  form.classList.add("editor--enhanced");
  var noscriptUpload = form.querySelector(".js-noscript-upload");
  if (noscriptUpload) noscriptUpload.hidden = true;
  restoreDraft();
  textarea.addEventListener("input", function () { saveDraft(); schedulePreview(); });
  form.addEventListener("submit", function () {
    try { localStorage.removeItem(draftKey); } catch (e) { /* nothing to clear */ }
  });
  renderPreview();
})();
