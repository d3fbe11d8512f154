// ogi web app: the little the pages need beyond htmx. No inline scripts anywhere (the CSP forbids them).
(function () {
  "use strict";

  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  // Every htmx request carries the CSRF value (the server needs it when it has a token).
  document.addEventListener("htmx:configRequest", (e) => {
    e.detail.headers["X-CSRF-Token"] = csrf();
  });

  // --- the report page: the selected cell, findings linked to their cells -----------------------
  function markSelected() {
    const panel = document.querySelector("#panel .panel-inner");
    const key = panel ? panel.dataset.key : "";
    document.querySelectorAll("td.v.selected").forEach((td) => td.classList.remove("selected"));
    if (key) {
      document.querySelectorAll(`td.v[data-key="${CSS.escape(key)}"]`).forEach((td) => td.classList.add("selected"));
    }
    // Centre the marked line or cell inside its own scrolling box, without moving the page.
    const marked = document.querySelector("#panel .marked, #panel mark");
    const box = marked && marked.closest(".source-lines, .source-blocks");
    if (box) box.scrollTop += marked.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 2;
    rememberWho(document.getElementById("panel"));
  }

  function highlight(keys, on) {
    keys.forEach((key) => {
      document.querySelectorAll(`td.v[data-key="${CSS.escape(key)}"]`).forEach((td) => td.classList.toggle("hl", on));
    });
  }

  function linkFindings() {
    document.querySelectorAll(".finding[data-keys]").forEach((row) => {
      const keys = row.dataset.keys.split(" ").filter(Boolean);
      row.addEventListener("mouseenter", () => highlight(keys, true));
      row.addEventListener("mouseleave", () => highlight(keys, false));
    });
  }

  // --- the reviewer's name, kept between forms -------------------------------------------------
  function rememberWho(root) {
    if (!root) return;
    const saved = localStorage.getItem("ogi.who") || "";
    root.querySelectorAll("input.who").forEach((input) => {
      if (!input.value) input.value = saved;
      input.addEventListener("change", () => localStorage.setItem("ogi.who", input.value.trim()));
    });
  }

  // --- upload: one request per file, with progress ---------------------------------------------
  const PARALLEL = 3;
  const severityText = (f) => (f && "error" in f ? `错误 ${f.error} · 警告 ${f.warning}` : "");

  function cell(text, className) {
    const td = document.createElement("td");
    if (className) td.className = className;
    if (text instanceof Node) td.appendChild(text);
    else td.textContent = text == null ? "" : String(text);
    return td;
  }

  function resultRow(r) {
    const tr = document.createElement("tr");
    tr.className = `st-${r.status}`;
    let outcome = "已入库";
    if (r.status === "unchanged") outcome = "已存在（未重复入库）";
    if (r.status === "failed") outcome = `未能读取：${r.error || ""}`;
    let agency = r.agency || (r.id ? "（未识别机关）" : "");
    if (r.id) {
      const a = document.createElement("a");
      a.href = `/reports/${r.id}`;
      a.textContent = agency;
      agency = a;
    }
    // A compiled volume gives a row per report: say which one.
    const file = r.part ? `${r.file}（第${r.part.index}/${r.part.count}份）` : r.file;
    tr.append(cell(file, "file"), cell("完成"), cell(outcome, r.status === "failed" ? "reason" : ""), cell(agency),
      cell(r.year), cell(severityText(r.findings)));
    return tr;
  }

  function setupUpload() {
    const form = document.getElementById("upload-form");
    if (!form) return;
    const input = document.getElementById("file-input");
    const table = document.getElementById("upload-table");
    const rows = document.getElementById("upload-rows");
    const summary = document.getElementById("upload-summary");
    const maxBytes = Number(form.dataset.maxMb) * 1024 * 1024;
    const queue = [];
    let running = 0;
    const totals = { ok: 0, unchanged: 0, failed: 0 };

    function report() {
      summary.textContent = `入库 ${totals.ok} 个，已存在 ${totals.unchanged} 个，未能读取 ${totals.failed} 个` +
        (running || queue.length ? `，还有 ${running + queue.length} 个在处理` : "");
    }

    function finish(placeholder, results) {
      const frag = document.createDocumentFragment();
      results.forEach((r) => {
        totals[r.status] = (totals[r.status] || 0) + 1;
        frag.appendChild(resultRow(r));
      });
      placeholder.replaceWith(frag);
      running -= 1;
      report();
      next();
    }

    function send(file, placeholder, progress, status) {
      const body = new FormData();
      body.append("files", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/reports");
      xhr.setRequestHeader("X-CSRF-Token", csrf());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) progress.value = e.loaded / e.total;
      });
      xhr.upload.addEventListener("load", () => { status.textContent = "解析中…"; });
      xhr.addEventListener("load", () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
        if (xhr.status === 200 && data && data.reports) {
          finish(placeholder, data.reports.length ? data.reports : [{ file: file.name, status: "failed", error: "压缩包中没有文件" }]);
        } else {
          const why = data && typeof data.detail === "string" ? data.detail : `服务器返回 ${xhr.status}`;
          finish(placeholder, [{ file: file.name, status: "failed", error: why }]);
        }
      });
      xhr.addEventListener("error", () => finish(placeholder, [{ file: file.name, status: "failed", error: "网络错误" }]));
      xhr.send(body);
    }

    function next() {
      while (running < PARALLEL && queue.length) {
        const [file, placeholder, progress, status] = queue.shift();
        running += 1;
        status.textContent = "上传中";
        send(file, placeholder, progress, status);
      }
      report();
    }

    function add(files) {
      table.hidden = false;
      Array.from(files).forEach((file) => {
        const tr = document.createElement("tr");
        const progress = document.createElement("progress");
        progress.max = 1;
        progress.value = 0;
        const status = cell("排队中");
        tr.append(cell(file.name, "file"), cell(progress), status, cell(""), cell(""), cell(""));
        rows.appendChild(tr);
        if (file.size > maxBytes) {
          running += 1;
          finish(tr, [{ file: file.name, status: "failed", error: `文件超过 ${form.dataset.maxMb} MB` }]);
          return;
        }
        queue.push([file, tr, progress, status]);
      });
      next();
    }

    input.addEventListener("change", () => { add(input.files); input.value = ""; });
    ["dragenter", "dragover"].forEach((t) => form.addEventListener(t, (e) => { e.preventDefault(); form.classList.add("over"); }));
    ["dragleave", "drop"].forEach((t) => form.addEventListener(t, (e) => { e.preventDefault(); form.classList.remove("over"); }));
    form.addEventListener("drop", (e) => add(e.dataTransfer.files));
  }

  document.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail.target && e.detail.target.id === "panel") markSelected();
  });
  document.addEventListener("DOMContentLoaded", () => {
    markSelected();
    linkFindings();
    rememberWho(document);
    setupUpload();
  });
})();
