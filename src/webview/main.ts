/** The approval panel webview's entry point (bundled to dist/webview/panel.js). */
// First: before any schema of src/shared is built.
import './jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { startApprovalPanel, type VsCodeApi } from './app';
import { locateEditor } from './bigText';

declare function acquireVsCodeApi(): VsCodeApi;

locateEditor(document.currentScript);
const root = document.getElementById('app');
if (root) startApprovalPanel(root, acquireVsCodeApi());
