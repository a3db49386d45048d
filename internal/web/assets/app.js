// Aktenwerk – progressive enhancement of the clerk UI. Every page works
// without this script; it adds the keyboard tree of the Aktenplan,
// drag-and-drop upload with one progress bar per file, and in-place
// search-as-you-type in the Posteingang. No eval, no inline
// handlers: it runs under script-src 'self'.
(function () {
  "use strict";

  // --- Aktenplan: ARIA tree (WAI-ARIA APG "navigation treeview") -------------
  //
  // The server sends nested lists with <details>/<summary>. Here they become
  // role=tree/treeitem/group with aria-expanded and a roving tabindex:
  // Up/Down move between visible items, Right opens or goes to the first
  // child, Left closes or goes to the parent, Home/End jump, Enter follows
  // the link (native), * opens all siblings.
  function enhanceTree(root) {
    if (root.getAttribute("role") === "tree") return;
    root.setAttribute("role", "tree");
    var items = [];
    root.querySelectorAll("li").forEach(function (li) {
      li.setAttribute("role", "none");
      var details = null;
      for (var i = 0; i < li.children.length; i++) {
        if (li.children[i].tagName === "DETAILS") details = li.children[i];
      }
      var link, group = null, open = false;
      if (details) {
        var summary = details.querySelector(":scope > summary");
        link = summary.querySelector("a");
        group = details.querySelector(":scope > ul");
        open = details.open;
        li.insertBefore(link, details);
        li.insertBefore(group, details);
        li.removeChild(details);
      } else {
        link = li.querySelector(":scope > a");
      }
      if (!link) return;
      var mark = document.createElement("span");
      mark.setAttribute("aria-hidden", "true");
      mark.className = group ? "umschalter" : "umschalter blatt";
      link.insertBefore(mark, link.firstChild);
      link.setAttribute("role", "treeitem");
      link.setAttribute("tabindex", "-1");
      if (group) {
        group.setAttribute("role", "group");
        link.setAttribute("aria-expanded", open ? "true" : "false");
        group.hidden = !open;
        mark.addEventListener("click", function (ev) {
          ev.preventDefault();
          ev.stopPropagation();
          setExpanded(link, link.getAttribute("aria-expanded") !== "true");
          focusItem(link);
        });
      }
      if (link.getAttribute("aria-current") === "page") link.setAttribute("aria-selected", "true");
      items.push(link);
    });
    if (!items.length) return;
    var current = root.querySelector('[role=treeitem][aria-current="page"]') || items[0];
    current.setAttribute("tabindex", "0");

    function groupOf(item) {
      var g = item.parentNode.querySelector(":scope > [role=group]");
      return g;
    }
    function setExpanded(item, on) {
      var g = groupOf(item);
      if (!g) return;
      item.setAttribute("aria-expanded", on ? "true" : "false");
      g.hidden = !on;
    }
    function visibleItems() {
      return items.filter(function (it) {
        for (var n = it.parentNode; n && n !== root; n = n.parentNode) {
          if (n.hidden) return false;
        }
        return true;
      });
    }
    function focusItem(item) {
      items.forEach(function (it) { it.setAttribute("tabindex", it === item ? "0" : "-1"); });
      item.focus();
    }
    function parentItem(item) {
      var g = item.parentNode.parentNode; // li -> ul
      if (!g || g === root) return null;
      return g.parentNode.querySelector(":scope > [role=treeitem]");
    }

    root.addEventListener("keydown", function (ev) {
      var item = ev.target;
      if (!item || item.getAttribute("role") !== "treeitem" || ev.altKey || ev.ctrlKey || ev.metaKey) return;
      var vis = visibleItems();
      var i = vis.indexOf(item);
      var expandable = item.hasAttribute("aria-expanded");
      var expanded = item.getAttribute("aria-expanded") === "true";
      var handled = true;
      switch (ev.key) {
        case "ArrowDown":
          if (i < vis.length - 1) focusItem(vis[i + 1]);
          break;
        case "ArrowUp":
          if (i > 0) focusItem(vis[i - 1]);
          break;
        case "ArrowRight":
          if (expandable && !expanded) setExpanded(item, true);
          else if (expandable) {
            var first = groupOf(item).querySelector("[role=treeitem]");
            if (first) focusItem(first);
          }
          break;
        case "ArrowLeft":
          if (expandable && expanded) setExpanded(item, false);
          else {
            var p = parentItem(item);
            if (p) focusItem(p);
          }
          break;
        case "Home":
          focusItem(vis[0]);
          break;
        case "End":
          focusItem(vis[vis.length - 1]);
          break;
        case "*":
          var sibs = item.parentNode.parentNode.querySelectorAll(":scope > li > [role=treeitem][aria-expanded]");
          sibs.forEach(function (s) { setExpanded(s, true); });
          break;
        default:
          handled = false;
      }
      if (handled) ev.preventDefault();
    });
    root.addEventListener("focusin", function (ev) {
      if (ev.target.getAttribute && ev.target.getAttribute("role") === "treeitem") {
        items.forEach(function (it) { it.setAttribute("tabindex", it === ev.target ? "0" : "-1"); });
      }
    });
  }

  // --- upload: drag and drop, one request and one progress bar per file --------
  function enhanceUpload(form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-ablage]");
    var list = form.querySelector("[data-fortschritt]");
    if (!input || !zone || !list || !window.FormData || !window.XMLHttpRequest) return;
    var hint = document.createElement("p");
    hint.className = "klein";
    hint.textContent = "Sie können Dateien auch hierher ziehen.";
    zone.appendChild(hint);

    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (ev) { ev.preventDefault(); zone.classList.add("ablage-aktiv"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function () { zone.classList.remove("ablage-aktiv"); });
    });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files.length) send(ev.dataTransfer.files);
    });
    form.addEventListener("submit", function (ev) {
      if (!input.files || !input.files.length) return; // the browser's own check
      ev.preventDefault();
      send(input.files);
    });

    function field(name) {
      var el = form.querySelector("[name=" + name + "]");
      return el ? el.value : "";
    }

    function send(files) {
      var pending = files.length, failed = 0, ok = 0;
      Array.prototype.forEach.call(files, function (file) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = file.name;
        var bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        bar.setAttribute("aria-label", "Fortschritt " + file.name);
        var state = document.createElement("span");
        state.textContent = "wird hochgeladen";
        li.appendChild(name);
        li.appendChild(bar);
        li.appendChild(state);
        list.appendChild(li);

        var fd = new FormData();
        fd.append("csrf", field("csrf")); // first: checked before the file is stored
        fd.append("typ", field("typ"));
        var einheit = form.querySelector("[name=einheit]");
        if (einheit) fd.append("einheit", einheit.value); // before the file, like the form
        fd.append("file", file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
        });
        xhr.addEventListener("load", function () {
          if (xhr.status === 201) {
            ok++;
            bar.value = 100;
            state.textContent = "fertig";
            state.className = "ok";
          } else {
            failed++;
            state.textContent = "Fehler: " + (xhr.responseText || ("Status " + xhr.status)).slice(0, 300);
            state.className = "fehler";
          }
          done();
        });
        xhr.addEventListener("error", function () {
          failed++;
          state.textContent = "Fehler: Verbindung unterbrochen";
          state.className = "fehler";
          done();
        });
        xhr.send(fd);
      });
      function done() {
        pending--;
        if (pending > 0) return;
        input.value = "";
        refreshList(failed, ok);
      }
    }

    // Reload the documents table (htmx, if loaded; else the whole page when
    // everything went well, so that errors stay visible). A form with
    // data-bestaetigung (the Posteingang) loads that address instead, with
    // the count and the unit, so that the page confirms where the files
    // went; after partial failures a line in the list says it.
    function refreshList(failed, ok) {
      var url = window.location.pathname;
      var ziel = form.getAttribute("data-bestaetigung");
      if (ziel && ok) {
        var sel = form.querySelector("select[name=einheit]");
        if (!failed) {
          window.location.assign(ziel + "&anzahl=" + ok + "&einheit=" + encodeURIComponent(sel ? sel.value : ""));
          return;
        }
        var li = document.createElement("li");
        li.className = "ok";
        li.textContent = (ok === 1 ? "1 Datei" : ok + " Dateien") + " hochgeladen in den Posteingang: " +
          (sel && sel.selectedIndex >= 0 ? sel.options[sel.selectedIndex].text : "Poststelle") + ".";
        list.appendChild(li);
        return;
      }
      if (window.htmx && document.getElementById("dokumente")) {
        window.htmx.ajax("GET", url, { target: "#dokumente", select: "#dokumente", swap: "outerHTML" });
      } else if (!failed) {
        window.location.reload();
      }
    }
  }

  // --- search-as-you-type (Posteingang): the field asks htmx for the result
  // list while typing; Enter searches in place instead of reloading the page
  // (without htmx the form is an ordinary GET form).
  function enhanceLiveSearch(form) {
    var input = form.querySelector("input[hx-get]");
    if (!input) return;
    form.addEventListener("submit", function (ev) {
      if (!window.htmx) return;
      ev.preventDefault();
      window.htmx.trigger(input, "suchen");
    });
  }

  // --- landing: a page that answers a form far down the page (the
  // recovery codes after the TOTP confirmation, a refused code) marks the
  // place with data-fokus and tabindex=-1, and the form's address carries
  // its id as fragment, so the browser scrolls there (and focuses it) even
  // without this script. Here the focus goes to the first invalid field
  // inside, else to the element itself (the heading of the codes). The
  // browser applies the fragment after this runs and focuses the marked
  // element then: from there the focus is passed on again.
  function focusLanding() {
    var el = document.querySelector("[data-fokus]");
    if (!el) return;
    var target = el.querySelector("[aria-invalid=true]") || el;
    if (target !== el) {
      el.addEventListener("focus", function () { target.focus(); });
    }
    target.focus();
  }

  function init(scope) {
    scope.querySelectorAll("[data-baum]").forEach(enhanceTree);
    scope.querySelectorAll("form[data-live-suche]").forEach(function (f) {
      if (!f.dataset.bereit) { f.dataset.bereit = "1"; enhanceLiveSearch(f); }
    });
    scope.querySelectorAll("form[data-hochladen]").forEach(function (f) {
      if (!f.dataset.bereit) { f.dataset.bereit = "1"; enhanceUpload(f); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); focusLanding(); });
  // After htmx swapped a part of the page: keep keyboard users in place.
  document.addEventListener("htmx:afterSettle", function (ev) {
    var elt = ev.detail && ev.detail.elt;
    if (elt && elt.closest && elt.closest(".blaettern")) {
      var h = document.getElementById("h-dokumente");
      if (h) h.focus();
    }
  });
})();
