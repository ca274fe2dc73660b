/**
 * Every message between the extension host, the training worker and the webview, typed on both
 * sides. Pure types and tiny guards: no 'vscode', no DOM, no Node imports (the webview bundles it).
 * Filled in by the training issue.
 */
export {};
