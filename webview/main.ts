// The page inside the webview. Filled in by the training issue (chart.js cost chart).
export {};
