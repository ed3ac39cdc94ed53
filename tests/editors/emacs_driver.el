;;; emacs_driver.el --- driven by test_emacs.py  -*- lexical-binding: t; -*-
;; emacs -Q --batch -l emacs_driver.el, with DESIGN_LSP_EMACS_DIR (editors/emacs), DESIGN_LSP_SERVER
;; (absolute path), DESIGN_LSP_DOC, DESIGN_LSP_OUT and DESIGN_LSP_ACTION in the environment.
;; Loads the shipped design-lsp.el the way its Commentary says, opens the doc in markdown-mode
;; and records what Emacs itself shows (flymake, imenu, completion-at-point, eglot-code-actions)
;; into DESIGN_LSP_OUT as JSON.  Any failure is recorded as "error".

;; The helpers every Emacs driver shares: package set-up, recording, waiting, flymake, imenu.
(load (expand-file-name "emacs_driver_common.el" (file-name-directory load-file-name)) nil t)

(condition-case-unless-debug err
    (progn
      (driver-setup)
      ;; A setting that shows it reached the server: invalid-field becomes a warning.
      (setq design-lsp-settings '(:rules (:invalid-field (:severity "warning"))))
      (find-file (getenv "DESIGN_LSP_DOC"))
      (driver-record 'major_mode (symbol-name major-mode))
      ;; `eglot-ensure' connects from post-command-hook, which batch mode never runs: run it.
      (wait-for 20 "eglot to connect" (lambda () (eglot-current-server)))
      (let ((server (eglot-current-server)))
        (wait-for 20 "initialize" (lambda () (eglot--server-capable :documentSymbolProvider)))
        (driver-record 'server_name (plist-get (eglot--server-info server) :name)))
      (driver-mark 'attached)

      ;; 1. Diagnostics, as flymake shows them.
      (flymake-start)
      (wait-for 20 "diagnostics" (lambda () (cl-some (lambda (d) (equal (alist-get 'code d) "invalid-field")) (diagnostics))))
      (driver-record 'diagnostics (vconcat (diagnostics)))
      (driver-mark 'diagnostics)

      ;; 2. Outline, through eglot's imenu index function (its top level: one group per kind).
      (let ((index (funcall imenu-create-index-function)))
        (driver-record 'outline (vconcat (mapcar (lambda (leaf) `((name . ,(car leaf)) (line . ,(cdr leaf))))
                                                 (imenu-leaves index))))
        (driver-record 'outline_groups (vconcat (mapcar #'car index))))
      (driver-mark 'outline)

      ;; 3. Completion at a new "### " line under Goals, through completion-at-point-functions.
      (goto-char (point-min))
      (re-search-forward "^- Recover transient.*$")
      (let ((start (point)))
        (insert "\n\n### ")
        (let* ((capf (run-hook-wrapped 'completion-at-point-functions
                                       (lambda (f) (and (functionp f) (funcall f)))))
               (table (nth 2 capf)))
          (driver-record 'completion (vconcat (all-completions "" table))))
        (delete-region start (point)))
      (driver-mark 'completion)

      ;; 3b. The default eglot offers for an invalid value: the allowed value nearest to it.
      (goto-char (point-min))
      (re-search-forward "Drafty")
      (replace-match "Aproved")
      (wait-for 20 "the new value's diagnostic"
                (lambda () (cl-some (lambda (d) (string-match-p "'Aproved'" (alist-get 'message d)))
                                    (diagnostics))))
      (let ((last-nonmenu-event 13))
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt collection &optional _pred _req _init _hist default &rest _)
                     (driver-record 'status_actions_seen (vconcat (mapcar #'car collection)))
                     (driver-record 'status_action_default (or default :null))
                     default)))
          (eglot-code-actions (line-beginning-position) (line-end-position) nil t)))
      (driver-record 'status_line (buffer-substring-no-properties (line-beginning-position) (line-end-position)))
      (beginning-of-line)
      (re-search-forward "Status\\*\\*: \\(.*\\)$")
      (replace-match "Drafty" t t nil 1)
      (driver-mark 'status_action)

      ;; 4. The code action, through the interactive `eglot-code-actions' on "### Goals",
      ;; picking the wanted title in its completing-read menu.
      (goto-char (point-min))
      (re-search-forward "^### Goals$")
      (let ((wanted (getenv "DESIGN_LSP_ACTION"))
            (last-nonmenu-event 13)) ; a key, not a mouse click: completing-read, not a popup
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt collection &optional _pred _req _init _hist default &rest _)
                     (driver-record 'code_actions_seen (vconcat (mapcar #'car collection)))
                     (driver-record 'code_action_default (or default :null))
                     wanted)))
          (eglot-code-actions (line-beginning-position) (line-end-position) nil t)))
      (driver-record 'text (buffer-substring-no-properties (point-min) (point-max)))
      (wait-for 20 "diagnostics after the fix"
                (lambda () (not (cl-some (lambda (d) (string-match-p "Non-Goals" (alist-get 'message d)))
                                         (diagnostics)))))
      (driver-record 'diagnostics_after (vconcat (diagnostics)))
      (driver-mark 'code_action)
      (set-buffer-modified-p nil)
      (eglot-shutdown (eglot-current-server)))
  (error (driver-record 'error (error-message-string err))))

(driver-write)
(kill-emacs 0)
