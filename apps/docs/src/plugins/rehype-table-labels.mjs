// Gives each table cell its column's heading as `data-label`, so that on a narrow screen the
// CSS can stack a row into a card ("request headers to allow: Tus-Resumable, ...") instead of
// squeezing every column into a few characters.

/** @param {any} node */
function textOf(node) {
  if (node.type === 'text') return node.value;
  return (node.children ?? []).map(textOf).join('');
}

/** @param {any} node @param {string} tagName */
function childrenNamed(node, tagName) {
  return (node.children ?? []).filter(
    (child) => child.type === 'element' && child.tagName === tagName,
  );
}

/** @param {any} table */
function labelTable(table) {
  const headRow = childrenNamed(table, 'thead').flatMap((head) => childrenNamed(head, 'tr'))[0];
  if (!headRow) return;
  const labels = childrenNamed(headRow, 'th').map((cell) => textOf(cell).trim());
  for (const body of childrenNamed(table, 'tbody')) {
    for (const row of childrenNamed(body, 'tr')) {
      childrenNamed(row, 'td').forEach((cell, index) => {
        const label = labels[index];
        if (label) cell.properties = { ...cell.properties, dataLabel: label };
      });
    }
  }
}

/** @param {any} node */
function walk(node) {
  if (node.type === 'element' && node.tagName === 'table') labelTable(node);
  for (const child of node.children ?? []) walk(child);
}

export function rehypeTableLabels() {
  return (/** @type {any} */ tree) => walk(tree);
}
