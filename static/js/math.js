// Typesets the math that shortscience/rendering.py leaves for the browser with KaTeX:
// <span class="arithmatex">\(...\)</span> inline, <div class="arithmatex">\[...\]</div> display.
// Without JavaScript readers see the TeX source, which is readable too.
// ShortScience.typeset(root) re-typesets a subtree, e.g. the editor's live preview.
(function () {
  "use strict";

  // User-written TeX: no \href/\url/\htmlClass and friends (trust), and limits on macro
  // expansion and sizes so one formula cannot hang the tab or cover the page. Errors take
  // the stylesheet's colour, which suits both schemes.
  var OPTIONS = {
    throwOnError: false, trust: false, strict: "ignore", maxExpand: 1000, maxSize: 50,
    errorColor: "var(--danger)",
  };
  var DELIMITERS = { "\\(": "\\)", "\\[": "\\]" };

  // The delimiter decides the mode: display math inside a list item, table cell or
  // heading stays a <span> (a <div> cannot go there) but keeps its \[...\].
  function source(element) {
    var text = element.textContent.trim();
    var close = DELIMITERS[text.slice(0, 2)];
    if (close && text.length >= 4 && text.slice(-2) === close) {
      return { tex: text.slice(2, -2), display: close === "\\]" };
    }
    // \begin{env}...\end{env} may come without delimiters.
    return { tex: text, display: element.tagName === "DIV" || text.startsWith("\\begin") };
  }

  // KaTeX sets most inline sizes through element.style (the CSSOM), which the CSP
  // allows, but writes a style *attribute* for parse errors, tall stacked delimiters and
  // \oiint; the CSP blocks those and logs a violation. So while KaTeX renders, and only
  // then, setAttribute("style", css) becomes style.cssText = css: same look, no violation.
  function withStyleAsProperty(render) {
    var setAttribute = Element.prototype.setAttribute;
    Element.prototype.setAttribute = function (name, value) {
      if (String(name).toLowerCase() !== "style") return setAttribute.call(this, name, value);
      this.style.cssText = value;
    };
    try {
      render();
    } finally {
      Element.prototype.setAttribute = setAttribute;
    }
  }

  function typeset(root) {
    if (!window.katex) return;
    root = root || document;
    var elements = Array.prototype.slice.call(root.querySelectorAll(".arithmatex"));
    if (root.matches && root.matches(".arithmatex")) elements.unshift(root);
    withStyleAsProperty(function () {
      elements.forEach(function (element) {
        if (element.dataset.typeset) return; // already replaced by KaTeX's markup
        var math = source(element);
        var options = Object.assign({ displayMode: math.display }, OPTIONS);
        try {
          window.katex.render(math.tex, element, options);
          element.dataset.typeset = "1";
        } catch (error) {
          // Parse errors render in place (throwOnError: false); anything else leaves the
          // TeX source on the page rather than stopping the remaining formulas.
        }
      });
    });
  }

  window.ShortScience = window.ShortScience || {};
  window.ShortScience.typeset = typeset;
  typeset(document);
})();
