-- design-lsp for Neovim 0.11+ (vim.lsp.config).
--
-- Install: `pipx install .` in a clone of design-lsp (it is not on PyPI), so that `design-lsp`
-- is on PATH; copy this file to
-- ~/.config/nvim/lsp/design_lsp.lua, and add to init.lua:
--
--   vim.lsp.enable('design_lsp')
--
-- Override any field from init.lua, e.g. a team template or a rule severity:
--
--   vim.lsp.config('design_lsp', {
--     settings = { designLsp = { template = 'docs/templates/design.md',
--                                rules = { ['template-text'] = { severity = 'information' } } } },
--   })
---@type vim.lsp.Config
return {
  cmd = { 'design-lsp' },
  filetypes = { 'markdown' },
  root_markers = { '.design-lsp.toml', 'pyproject.toml', '.git' },
  -- Answered to the server's workspace/configuration requests (section "designLsp"); the same keys
  -- as .design-lsp.toml: template, include, rules.<code>.severity, placeholders.
  settings = { designLsp = vim.empty_dict() },
}
