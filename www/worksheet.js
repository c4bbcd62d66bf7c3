// "Print a worksheet": the dialog that asks for the steps and the blank
// cells, the printable worksheet the core writes (problem, table, answer key
// on a page of its own) and the print itself.
import { $, errorText } from "./ui.js";
import { tr } from "./i18n.js";

/** An element `tag` with `text`, and `className` when given. */
function element(tag, text = "", className = "") {
  const made = document.createElement(tag);
  made.textContent = text;
  if (className) made.className = className;
  return made;
}

/** A table of `columns` and `rows` (null cells are left blank, to fill in); `narrow`: only as wide as its numbers. */
function table(columns, rows, caption, narrow = false) {
  const made = element("table", "", narrow ? "ws-table narrow" : "ws-table");
  made.append(element("caption", caption));
  const head = made.createTHead().insertRow();
  for (const name of columns) head.append(Object.assign(element("th", name), { scope: "col" }));
  const body = made.createTBody();
  for (const row of rows) {
    const line = body.insertRow();
    for (const cell of row) {
      const td = line.insertCell();
      if (cell == null) {
        td.className = "blank";
        td.setAttribute("aria-label", "to fill in");
      } else td.textContent = cell;
    }
  }
  return made;
}

/** Lays out `sheet` (the core's worksheet) in #worksheet. */
function showWorksheet(sheet) {
  const page = $("worksheet");
  page.replaceChildren(
    element("h1", sheet.title),
    element("p", "Name: ______________________   Date: ____________", "ws-name"),
    ...sheet.problem.map((line) => element("p", line, "ws-problem")),
    table(sheet.columns, sheet.rows, "Fill in the empty cells"),
  );
  if (sheet.data) page.append(table(sheet.data[0], sheet.data[1], "The data", true));
  const key = element("section", "", "answer-key");
  const steps = element("ol", "", "ws-working");
  for (const lines of sheet.working) {
    const item = element("li");
    item.append(...lines.map((line) => element("p", line)));
    steps.append(item);
  }
  key.append(element("h1", tr("Answer key: {title}", sheet)), table(sheet.columns, sheet.answers, "Every cell"), element("h2", "Each step written out"), steps);
  page.append(key);
}

/**
 * Wires the dialog: each "Print a worksheet" button opens it; Print asks
 * `lab()` (the lab shown) for the worksheet, lays it out and prints it.
 */
export function worksheetDialog(lab) {
  const dialog = $("worksheet-dialog");
  for (const button of document.querySelectorAll(".print-worksheet")) {
    button.addEventListener("click", () => {
      $("worksheet-message").textContent = "";
      dialog.showModal();
    });
  }
  $("worksheet-close").addEventListener("click", () => dialog.close());
  $("worksheet-print").addEventListener("click", () => {
    const settings = {
      steps: Number($("worksheet-steps").value),
      blanks: { gradient: $("worksheet-gradient").checked, step: $("worksheet-step").checked, after: $("worksheet-after").checked },
    };
    try {
      if (!Number.isInteger(settings.steps)) throw new Error("type a whole number of steps, 1 to 10");
      showWorksheet(JSON.parse(lab().worksheetJson(JSON.stringify(settings))));
    } catch (error) {
      $("worksheet-message").textContent = tr("No worksheet: {reason}.", { reason: errorText(error) });
      return;
    }
    dialog.close();
    document.body.classList.add("printing");
    window.print();
  });
  window.addEventListener("afterprint", () => document.body.classList.remove("printing"));
}
