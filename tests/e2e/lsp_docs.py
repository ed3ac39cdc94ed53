"""Documents the end-to-end tests open: front matter, emoji, CRLF, missing sections."""

from __future__ import annotations

# A design doc with front matter, emoji on heading and placeholder lines, an invalid Status,
# a leftover placeholder, and many missing sections (Non-Goals under Background among them).
PARTIAL = """\
---
title: Payments 💳
owner: team-pay
---
# Design Document: Payment Retries 💳

## Document Information

- **Author**: [Your Name] 🙂
- **Date**: 2024-05-01
- **Status**: Drafty
- **Version**: 1.0

## Executive Summary

We retry failed card payments 🔁 with backoff so that fewer orders fail at checkout.

## Background

### Problem Statement

Card payments fail transiently 😬 and customers give up before paying.

### Goals

- Recover transient failures automatically

## Proposed Solution

### High-Level Design

A retry queue 🧵 sits between checkout and the payment gateway.

### Detailed Design

#### Component 1

The retry scheduler 📅 picks due payments.

#### Component 2

The gateway client wraps the provider's API.

## Rollout Plan

Ship behind a flag, then ramp 🚀 to all traffic.
"""

# The same document with Windows line endings.
PARTIAL_CRLF = PARTIAL.replace("\n", "\r\n")

# A README: Markdown that is not a design document (no template findings, still an outline).
README = """\
# Project 🚀

Some intro text.

## Install

pip install it.

## Usage

Run it.
"""

# Every section present, in order, with real text: no missing-section.
COMPLETE_HEAD = """\
# Design Document: Search

## Document Information

- **Author**: Ada Lovelace
- **Date**: 2024-01-01
- **Status**: Draft
- **Version**: 1.0
"""

# Misplaced, misspelled and wrong-level headings.
MISORDERED = """\
# Design Document: Caching

## Executive Summary

We add a read-through cache in front of the catalogue service.

## Backgroud

### Problem Statement

Catalogue reads are slow under load and time out at peak.

## Rollout Plan

Enable per region, watching hit rates and error budgets.

## Proposed Solution

#### High-Level Design

A cache layer with explicit invalidation on writes.
"""


# Every section of the built-in template, but "Monitoring and Metrics" written as "Observability".
OBSERVABILITY = """\
# Design Document: Rate Limiter

## Document Information

- **Author**: Ada
- **Status**: Draft

## Executive Summary

Limit requests.

## Background

### Problem Statement

Too many.

### Current State

None.

### Goals

- Cap

### Non-Goals

- Users

## Proposed Solution

### High-Level Design

Token bucket.

### Detailed Design

Redis.

### API Design

None.

### Data Model

Keys.

### Workflow

Check.

## Technical Considerations

### Performance

Fast.

### Scalability

Shards.

### Security

Keys.

### Reliability

Fail open.

## Implementation Plan

### Phase 1: Foundation

Build.

## Testing Strategy

### Unit Tests

Yes.

### Integration Tests

Yes.

### Performance Tests

Yes.

## Rollout Plan

Slowly.

## Observability

Dashboards.

## Alternatives Considered

### Alternative 1

Leaky bucket.

## Open Questions

None.

## References

None.

## Appendix

### Glossary

None.

### Detailed Examples

None.
"""
