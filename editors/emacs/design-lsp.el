;;; design-lsp.el --- Check Markdown design documents with design-lsp through Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools, markdown

;;; Commentary:

;; Registers the design-lsp language server with Eglot for `markdown-mode' and `gfm-mode', and
;; answers its `workspace/configuration' requests for the "designLsp" section from
;; `design-lsp-settings'.
;;
;; Setup (after `pipx install .' in a clone of design-lsp, so that `design-lsp' is on PATH):
;;
;;   (add-to-list 'load-path "/path/to/design-lsp/editors/emacs")
;;   (require 'design-lsp)
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)
;;
;; Settings take the keys of `.design-lsp.toml' as a plist, for example:
;;
;;   (setq design-lsp-settings
;;         '(:template "docs/templates/design.md"
;;           :rules (:template-text (:severity "information"))))
;;
;; A project can set them in .dir-locals.el through `eglot-workspace-configuration' instead:
;;
;;   ((nil . ((eglot-workspace-configuration
;;             . (:designLsp (:template "docs/templates/design.md"))))))

;;; Code:

(require 'cl-lib)
(require 'eglot)

(defgroup design-lsp nil
  "Check Markdown design documents against a template with design-lsp."
  :group 'eglot
  :prefix "design-lsp-")

(defcustom design-lsp-server-command '("design-lsp")
  "The command that starts the design-lsp language server on stdio.
Use an absolute path, or e.g. (\"python3\" \"-P\" \"-m\" \"design_lsp\"),
when it is not on PATH (-P, Python 3.11+, keeps the project folder off sys.path)."
  :type '(repeat string))

(defcustom design-lsp-settings nil
  "The \"designLsp\" settings sent to the server, as a plist.
Keys as in .design-lsp.toml: :template, :include, :rules, :placeholders.
A project's `eglot-workspace-configuration' with a :designLsp
section (e.g. in .dir-locals.el) wins."
  :type 'plist)

(defconst design-lsp-modes
  '((markdown-mode :language-id "markdown") (gfm-mode :language-id "markdown"))
  "The major modes design-lsp serves, in the format of `eglot-server-programs'.")

(defun design-lsp--contact (&rest _)
  "The Eglot contact for design-lsp: `design-lsp-server-command'."
  design-lsp-server-command)

(defun design-lsp-workspace-configuration (&optional server)
  "The value for `eglot-workspace-configuration'.
It is `design-lsp-settings' as :designLsp, followed by any previous
global value of `eglot-workspace-configuration' (a plist, or a
function of SERVER)."
  (let* ((previous (get 'design-lsp-workspace-configuration 'previous))
         (previous (if (functionp previous) (funcall previous server) previous)))
    (append (list :designLsp (or design-lsp-settings (make-hash-table)))
            (cl-loop for (key value) on previous by #'cddr
                     unless (eq key :designLsp) append (list key value)))))

;; Register the server for Markdown, ahead of any other Markdown server.
(setq eglot-server-programs
      (cons (cons design-lsp-modes #'design-lsp--contact)
            (cl-remove design-lsp-modes eglot-server-programs :key #'car :test #'equal)))

;; Answer workspace/configuration from `design-lsp-settings' unless the user set something else
;; globally; a function value is kept and merged.
(unless (eq (default-value 'eglot-workspace-configuration) #'design-lsp-workspace-configuration)
  (put 'design-lsp-workspace-configuration 'previous
       (default-value 'eglot-workspace-configuration))
  (setq-default eglot-workspace-configuration #'design-lsp-workspace-configuration))

(provide 'design-lsp)
;;; design-lsp.el ends here
