/*
 * sitegen default theme: reading tools (text size, 长者模式), print, table of contents.
 * Plain ES5, no libraries, no requests. The inline script in <head> has already applied the
 * remembered data-font / data-contrast to <html> before the first paint; this file wires the
 * buttons and keeps their aria-pressed in step.
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

  /* Table of contents: collapsed on narrow screens, open beside the text on wide ones. */
  function setTocOpen(open) {
    each(document.querySelectorAll(".toc details"), function (details) {
      if (open) {
        details.setAttribute("open", "");
      } else {
        details.removeAttribute("open");
      }
    });
  }

  if (window.matchMedia) {
    var wide = window.matchMedia("(min-width: 64em)");
    if (!wide.matches) {
      setTocOpen(false);
    }
    /* Rotating a tablet or resizing the window across the breakpoint. */
    var onChange = function (event) {
      setTocOpen(event.matches);
    };
    if (wide.addEventListener) {
      wide.addEventListener("change", onChange, false);
    } else if (wide.addListener) {
      wide.addListener(onChange);
    }
  } else if ((window.innerWidth || 0) < 1024) {
    setTocOpen(false);
  }
})(window, document);
