// Entry of dist/vendor/openai.js: the `openai` package in a file of its own, loaded on the first
// request to an OpenAI-compatible endpoint.
module.exports = require('openai');
