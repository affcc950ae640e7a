/*
 * sitegen default theme: reading tools (text size, 长者模式), print, folding parts.
 * Plain ES5, no libraries, no requests. The inline script in <head> has already applied the
 * remembered data-font / data-contrast to <html> before the first paint, and the inline script
 * after the header's buttons has set their aria-pressed; this file wires the buttons and keeps
 * their aria-pressed in step.
 */
(function (window, document) {
  "use strict";

  var root = document.documentElement;
  var FONT_KEY = "sitegen-font";
  var CONTRAST_KEY = "sitegen-contrast";
  var FONT_SIZES = { small: true, medium: true, large: true };
  var DEFAULT_FONT = "small";

  function readStored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function store(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* private mode or storage disabled: the choice lasts for this page only */
    }
  }

  function each(list, fn) {
    for (var i = 0; i < list.length; i++) {
      fn(list[i], i);
    }
  }

  /* Buttons only: <html> carries the same data attributes. */
  function controls(attribute) {
    var found = [];
    each(document.querySelectorAll("[" + attribute + "]"), function (el) {
      if (el !== root) {
        found.push(el);
      }
    });
    return found;
  }

  /* The nearest element (from the click target up) that has the attribute, except <html>. */
  function closestWith(node, attribute) {
    while (node && node !== root && node.nodeType === 1) {
      if (node.hasAttribute(attribute)) {
        return node;
      }
      node = node.parentNode;
    }
    return null;
  }

  function normalFont(value) {
    return value && FONT_SIZES.hasOwnProperty(value) ? value : DEFAULT_FONT;
  }

  /* ---------------------------------------------------------------- font size */

  function currentFont() {
    return normalFont(root.getAttribute("data-font") || readStored(FONT_KEY));
  }

  function syncFontButtons(value) {
    each(controls("data-font"), function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-font") === value ? "true" : "false");
    });
  }

  function setFont(value, remember) {
    value = normalFont(value);
    root.setAttribute("data-font", value);
    if (remember) {
      store(FONT_KEY, value);
    }
    syncFontButtons(value);
  }

  /* --------------------------------------------------------------- 长者模式 */

  function contrastOn() {
    return root.getAttribute("data-contrast") === "on";
  }

  function syncContrastButtons(on) {
    each(controls("data-contrast"), function (button) {
      var value = button.getAttribute("data-contrast");
      /* A bare data-contrast button is a toggle; data-contrast="on"/"off" buttons are choices. */
      var pressed = value === "off" ? !on : on;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }

  function setContrast(on, remember) {
    if (on) {
      root.setAttribute("data-contrast", "on");
    } else {
      root.removeAttribute("data-contrast");
    }
    if (remember) {
      store(CONTRAST_KEY, on ? "on" : "off");
    }
    syncContrastButtons(on);
  }

  /* ------------------------------------------------------------------ events */

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = closestWith(target, "data-font");
    if (button) {
      setFont(button.getAttribute("data-font"), true);
      return;
    }
    button = closestWith(target, "data-contrast");
    if (button) {
      var value = button.getAttribute("data-contrast");
      setContrast(value === "on" ? true : value === "off" ? false : !contrastOn(), true);
      return;
    }
    button = closestWith(target, "data-print");
    if (button && typeof window.print === "function") {
      window.print();
    }
  }, false);

  /* Another tab changed the setting: follow it. */
  window.addEventListener("storage", function (event) {
    if (event.key === FONT_KEY) {
      setFont(event.newValue, false);
    } else if (event.key === CONTRAST_KEY) {
      setContrast(event.newValue === "on", false);
    }
  }, false);

  /* ------------------------------------------------------------ at load time */

  setFont(currentFont(), false);
  syncContrastButtons(contrastOn());

  /* Folding parts (the phone menu, the table of contents): <details data-open-media="…">
     is open when its media query matches. The inline script inside each has decided this
     before the first paint; here only later changes of width (rotating a tablet, resizing
     the window across the breakpoint) open or close it. */
  if (window.matchMedia) {
    each(document.querySelectorAll("details[data-open-media]"), function (details) {
      var query = window.matchMedia(details.getAttribute("data-open-media"));
      var onChange = function (event) {
        if (event.matches) {
          details.setAttribute("open", "");
        } else {
          details.removeAttribute("open");
        }
      };
      if (query.addEventListener) {
        query.addEventListener("change", onChange, false);
      } else if (query.addListener) {
        query.addListener(onChange);
      }
    });
  }
})(window, document);
