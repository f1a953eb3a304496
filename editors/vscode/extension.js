// Starts `blueprint lsp` for .svc files. Everything else (highlighting) is declared in
// package.json. Install the extension's one dependency with `npm install` in this folder.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("blueprint").get("server.command");
  client = new LanguageClient(
    "blueprint",
    "Service blueprints",
    { command, args },
    { documentSelector: [{ scheme: "file", language: "svc" }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
