// ogi 填报 form: the checks as the author types. On every change the form is sent, as a draft's
// JSON, to POST /api/fill/check; the answer marks the cells that break an identity with the value
// they need, and lists the other notices. Numbers travel as the digits typed (never through a
// float). No inline scripts anywhere (the CSP forbids them); report text is only set as text.
(function () {
  "use strict";

  const form = document.getElementById("fill-form");
  if (!form) return;
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
  const cells = Array.from(form.querySelectorAll("input[data-key]"));
  const byKey = new Map(cells.map((input) => [input.dataset.key, input]));
  const DELAY_MS = 200;
  let timer = null;
  let sent = 0;
  let shown = 0;

  // The form is "checking" from a change until the answer to the latest change is shown: the
  // marks on screen are stale meanwhile (dimmed), and a test waits for them to settle.
  function settle() {
    if (timer === null && shown === sent) form.classList.remove("checking");
  }

  // A typed number as a JSON number: full-width digits and thousands separators accepted;
  // undefined when it is not a number at all.
  function numberJSON(raw) {
    const text = raw.normalize("NFKC").trim().replace(/[,，\s]/g, "");
    if (text === "") return "null";
    const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) return undefined;
    const whole = m[2].replace(/^0+(?=\d)/, "");
    return (m[1] === "-" ? "-" : "") + whole + (m[3] ? "." + m[3] : "");
  }

  function field(name) {
    const el = form.elements.namedItem(name);
    return el ? el.value.trim() : "";
  }

  // The draft as JSON text, and the cells whose text is not a number.
  function collect() {
    const bad = [];
    const parts = cells.map((input) => {
      let n = numberJSON(input.value);
      if (n === undefined) {
        bad.push(input.dataset.key);
        n = "null";
      }
      return `${JSON.stringify(input.dataset.key)}:${n}`;
    });
    const sections = {};
    form.querySelectorAll("textarea[data-section]").forEach((t) => {
      if (t.value.trim()) sections[t.dataset.section] = t.value;
    });
    const year = /^\d{4}$/.test(field("year")) ? field("year") : "null";
    const published = /^\d{4}-\d{2}-\d{2}$/.test(field("published")) ? JSON.stringify(field("published")) : "null";
    const body = `{"template":${JSON.stringify(form.dataset.template)},"agency":${JSON.stringify(field("agency") || null)},` +
      `"year":${year},"published":${published},"sections":${JSON.stringify(sections)},"cells":{${parts.join(",")}}}`;
    return { body, bad };
  }

  function td(key) {
    const input = byKey.get(key);
    return input ? input.closest("td") : null;
  }

  function setMark(key, text, why, className) {
    const cell = td(key);
    if (!cell) return;
    cell.classList.add(className);
    cell.querySelector(".expect").textContent = text;
    cell.title = why;
  }

  function clearMarks() {
    cells.forEach((input) => {
      const cell = input.closest("td");
      cell.classList.remove("broken", "bad-input");
      cell.querySelector(".expect").textContent = "";
      cell.title = cell.dataset.title || "";
      input.placeholder = "";
      input.removeAttribute("aria-invalid");
    });
  }

  function item(tag, className, key) {
    const li = document.createElement(tag);
    li.className = className;
    if (key) li.dataset.key = key;
    return li;
  }

  function focusLink(key, text) {
    const a = document.createElement("a");
    a.href = `#cell-${key}`;
    a.dataset.focus = key;
    a.textContent = text;
    return a;
  }

  function withText(tag, text, className) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = text;
    return el;
  }

  function show(result, bad) {
    clearMarks();
    Object.entries(result.marks).forEach(([key, m]) => {
      setMark(key, `应为 ${m.expected}`, m.messages.join("；"), "broken");
      byKey.get(key)?.setAttribute("aria-invalid", "true");
    });
    Object.entries(result.suggestions).forEach(([key, value]) => {
      if (byKey.has(key)) byKey.get(key).placeholder = value;
    });
    bad.forEach((key) => setMark(key, "不是数字", "请填写数字", "bad-input"));

    const broken = document.getElementById("live-broken");
    broken.replaceChildren(...Object.entries(result.marks).map(([key, m]) => {
      const li = item("li", "sev-error", key);
      const why = withText("span", `不满足：${m.names.join("、")}`, "msg");
      why.title = m.messages.join("\n");
      li.append(focusLink(key, m.place), " 应为 ", withText("b", m.expected), `（现为 ${m.value || "空"}）`, why);
      return li;
    }));
    const warnings = document.getElementById("live-warnings");
    warnings.replaceChildren(...result.warnings.map((w) => {
      const li = item("li", `sev-${w.severity}`, w.keys[0]);
      li.append(withText("b", w.name), withText("span", w.message, "msg"));
      return li;
    }));
    document.getElementById("count-broken").textContent = `勾稽不符 ${result.broken.length}`;
    document.getElementById("count-warnings").textContent = `提示 ${result.warnings.length}`;
    document.getElementById("count-unfilled").textContent = `未填 ${result.unfilled.length}`;
    document.getElementById("live-unfilled").textContent =
      result.unfilled.length ? `还有 ${result.unfilled.length} 格未填（没有发生的填 0）。` : "";
    document.getElementById("live-ok").hidden = !(result.broken.length === 0 && result.unfilled.length === 0 && !bad.length);
    const hint = document.getElementById("submit-hint");
    if (hint) hint.textContent = result.not_ready || "可以提交：将生成 Word 文件，作为该单位本年度的报告入库。";
    settle();
  }

  function refused(detail) {
    clearMarks();
    if (detail && typeof detail === "object" && detail.key) {
      const key = detail.key.replace(/^cells\./, "");
      if (byKey.has(key)) setMark(key, "格式不对", detail.message, "bad-input");
    }
    settle();
  }

  async function check() {
    timer = null;
    const { body, bad } = collect();
    const mine = ++sent;
    let response;
    try {
      response = await fetch("/api/fill/check", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() },
        body,
      });
    } catch (err) {
      return; // offline for a moment: the next change checks again
    }
    const result = await response.json().catch(() => null);
    if (mine < shown || !result) return; // an older answer arriving late
    shown = mine;
    if (response.ok) show(result, bad);
    else refused(result.detail);
  }

  function changed() {
    document.getElementById("dirty").hidden = false;
    form.classList.add("checking");
    clearTimeout(timer);
    timer = setTimeout(check, DELAY_MS);
  }

  cells.forEach((input) => {
    const cell = input.closest("td");
    // Enter moves to the next cell, as in a spreadsheet, instead of posting the form.
    input.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      const next = cells[cells.indexOf(input) + (e.shiftKey ? -1 : 1)];
      if (next) next.focus();
    });
    if (cell.classList.contains("carried")) {
      const carried = input.value;
      input.addEventListener("input", () => cell.classList.toggle("carried", input.value.trim() === carried));
    }
  });
  form.addEventListener("input", (e) => {
    if (!e.target.matches("input.who")) changed();
  });

  form.addEventListener("click", (e) => {
    const focus = e.target.closest("[data-focus]");
    if (focus && byKey.has(focus.dataset.focus)) {
      e.preventDefault();
      const input = byKey.get(focus.dataset.focus);
      input.scrollIntoView({ block: "center" });
      input.focus();
      input.select();
      return;
    }
    const copy = e.target.closest("button[data-copy]");
    if (copy) {
      const area = document.getElementById(`section-${copy.dataset.copy}`);
      const text = document.getElementById(`last-${copy.dataset.copy}`).textContent;
      area.value = area.value.trim() ? `${area.value.replace(/\s+$/, "")}\n${text}` : text;
      area.dispatchEvent(new Event("input", { bubbles: true }));
      area.focus();
    }
  });
})();
