;;; emacs_big_driver.el --- driven by test_emacs.py  -*- lexical-binding: t; -*-
;; emacs -Q --batch -l emacs_big_driver.el, with DESIGN_LSP_EMACS_DIR, DESIGN_LSP_SERVER,
;; DESIGN_LSP_DOC (a document with thousands of findings) and DESIGN_LSP_OUT in the environment.
;; Records what flymake holds after the first push and after an edit, how long each took, and
;; how long eglot's imenu (a documentSymbol request) took.  Any failure is recorded as "error".

(load (expand-file-name "emacs_driver_common.el" (file-name-directory load-file-name)) nil t)

(defun summary-message ()
  (alist-get 'message (cl-find "too-many-findings" (diagnostics)
                               :key (lambda (d) (alist-get 'code d)) :test #'equal)))

(condition-case-unless-debug err
    (progn
      (driver-setup)
      (find-file (getenv "DESIGN_LSP_DOC"))
      (wait-for 20 "eglot to connect" (lambda () (eglot-current-server)))
      (wait-for 20 "initialize" (lambda () (eglot--server-capable :documentSymbolProvider)))
      (driver-mark 'attached)

      ;; 1. The first push, as flymake holds it.
      (flymake-start)
      (wait-for 60 "diagnostics" #'summary-message)
      (driver-mark 'diagnostics)
      (driver-record 'diagnostics (vconcat (diagnostics)))

      ;; 2. The outline through imenu: eglot gives up on a request after 10 s.
      (let* ((start (float-time))
             (index (funcall imenu-create-index-function)))
        (driver-record 'imenu_ms (* 1000 (- (float-time) start)))
        (driver-record 'imenu_leaves (length (imenu-leaves index))))

      ;; 3. An edit (one more repeated section): how long until flymake shows its new count.
      (let ((before (summary-message))
            (start (float-time)))
        (goto-char (point-max))
        (insert "\n## Rollout Plan\n\nOne more.\n")
        (wait-for 60 "diagnostics after the edit"
                  (lambda () (not (equal (summary-message) before))))
        (driver-record 'edit_ms (* 1000 (- (float-time) start))))
      (driver-record 'diagnostics_after (vconcat (diagnostics)))
      (set-buffer-modified-p nil)
      (eglot-shutdown (eglot-current-server)))
  (error (driver-record 'error (error-message-string err))))

(driver-write)
(kill-emacs 0)
