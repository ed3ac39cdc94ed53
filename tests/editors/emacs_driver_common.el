;;; emacs_driver_common.el --- what the Emacs drivers share  -*- lexical-binding: t; -*-
;; Loaded by emacs_driver.el and emacs_big_driver.el: package set-up, the JSON report
;; (DESIGN_LSP_OUT), an event pump for batch mode, flymake's diagnostics and imenu's leaves.

(require 'package)
(require 'json)
(require 'cl-lib)
;; `emacs -Q' drops Debian's site-lisp: find elpa-eglot and elpa-markdown-mode there.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)

(defvar driver-result (list (cons 'timings nil)))
(defvar driver-t0 (float-time))
(defun driver-record (key value) (push (cons key value) driver-result))
(defun driver-mark (name) (push (cons name (* 1000 (- (float-time) driver-t0))) (alist-get 'timings driver-result)))

(defun wait-for (secs what pred)
  "Pump events until PRED or SECS, doing what batch mode never does but a command loop would:
run `post-command-hook' (where `eglot-ensure' connects) and the idle timers (where eglot sends
didChange and flymake starts)."
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (run-hooks 'post-command-hook)
      (accept-process-output nil 0.05)
      (mapc #'timer-event-handler (copy-sequence timer-idle-list)))
    (or (funcall pred) (error "Timed out waiting for %s" what))))

(defun diagnostics ()
  (mapcar (lambda (d)
            (let ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))))
              `((code . ,(plist-get lsp :code))
                (source . ,(plist-get lsp :source))
                (line . ,(1- (line-number-at-pos (flymake-diagnostic-beg d))))
                (type . ,(symbol-name (flymake-diagnostic-type d)))
                (message . ,(flymake-diagnostic-text d)))))
          (flymake-diagnostics)))

(defun imenu-leaves (index)
  "Flatten an imenu INDEX into ((NAME . LINE) ...)."
  (cl-loop for (name . rest) in index
           if (or (markerp rest) (integerp rest))
           collect (cons name (1- (line-number-at-pos rest)))
           else if (consp rest) append (imenu-leaves rest)))

(defun driver-setup ()
  "Load the shipped design-lsp.el the way its Commentary says, with `eglot-ensure' on Markdown."
  (add-to-list 'load-path (getenv "DESIGN_LSP_EMACS_DIR"))
  (require 'markdown-mode)
  (require 'design-lsp)
  (setq design-lsp-server-command (list (getenv "DESIGN_LSP_SERVER")))
  (add-hook 'markdown-mode-hook #'eglot-ensure))

(defun driver-write ()
  (with-temp-file (getenv "DESIGN_LSP_OUT")
    (insert (json-encode driver-result))))
