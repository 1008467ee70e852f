// The service's OpenAPI 3.1 document, served at /openapi.json with the county's value sets
// filled in (`OpenAPIDocument`). Swift source rather than a resource bundle: finding a bundle
// needs Foundation's `Bundle`, and the services link FoundationEssentials only (a smaller
// resident set per process). Edit the JSON between the delimiters; it is checked as JSON by
// the tests (OpenAPICoverageTests, InterfaceRulesTests).
extension SupervisionService {
    static let openAPIJSON = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Hotline supervision",
    "version": "1.0.0",
    "description": "Response and reply deadlines on the working-day calendar; missed deadlines are announced once, durably. Errors are RFC 9457 problem+json; a 422 names every rejected field."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8082"
    }
  ],
  "components": {
    "securitySchemes": {
      "channelKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "A channel's API key (demo: `demo-key-<channel>`, e.g. `demo-key-phone_12345`)."
      },
      "centreToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A hotline-centre staff token (demo: `demo-centre-token`)."
      },
      "unitToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A unit staff token; sees and acts on its own unit's work only (demo: `demo-unit-<unit>-token`)."
      },
      "agentToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A callback agent's token (demo: `demo-agent-token`)."
      },
      "auditorToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An auditor's token (demo: `demo-auditor-token`)."
      },
      "adminToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An administrator's token (demo: `demo-admin-token`)."
      }
    },
    "responses": {
      "Problem": {
        "description": "An RFC 9457 problem",
        "content": {
          "application/problem+json": {
            "schema": {
              "type": "object",
              "properties": {
                "type": {
                  "type": "string"
                },
                "title": {
                  "type": "string"
                },
                "status": {
                  "type": "integer"
                },
                "detail": {
                  "type": "string"
                },
                "errors": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "field": {
                        "type": "string"
                      },
                      "message": {
                        "type": "string"
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "schemas": {
      "Alert": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "at",
          "kind",
          "ticket",
          "assignment",
          "unit",
          "level",
          "addressee",
          "letter",
          "note",
          "acknowledged_at",
          "acknowledged_by"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "at": {
            "type": "string",
            "description": "When the level came (a ladder level's scheduled time)"
          },
          "kind": {
            "enum": [
              "ladder",
              "hotspot",
              "double"
            ],
            "description": "ladder: a level of an unreplied ticket's ladder; hotspot: a cluster of tickets at one place (no ticket, no level); double: a double alert to the unit head and the county leader (reopened twice, listed, petition office)"
          },
          "ticket": {
            "type": [
              "string",
              "null"
            ]
          },
          "assignment": {
            "type": [
              "string",
              "null"
            ]
          },
          "unit": {
            "type": [
              "string",
              "null"
            ],
            "description": "The unit whose work it is about"
          },
          "level": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 1,
            "maximum": 5
          },
          "addressee": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "role",
              "name",
              "unit"
            ],
            "properties": {
              "role": {
                "enum": [
                  "handler",
                  "unit",
                  "head",
                  "task_force",
                  "county_leader",
                  "deputy_head",
                  "centre"
                ]
              },
              "name": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "unit": {
                "type": [
                  "string",
                  "null"
                ]
              }
            }
          },
          "letter": {
            "type": [
              "string",
              "null"
            ],
            "description": "The letter issued with the level (GET /v1/letters/{id})"
          },
          "note": {
            "type": [
              "string",
              "null"
            ]
          },
          "acknowledged_at": {
            "type": [
              "string",
              "null"
            ]
          },
          "acknowledged_by": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "SpotCheck": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "ticket",
          "round",
          "assignment",
          "unit",
          "closed_at",
          "week",
          "sampled",
          "outcome",
          "note",
          "recorded_by",
          "recorded_at"
        ],
        "properties": {
          "ticket": {
            "type": "string"
          },
          "round": {
            "type": "integer",
            "minimum": 1
          },
          "assignment": {
            "type": "string",
            "description": "The reply checked"
          },
          "unit": {
            "type": "string"
          },
          "closed_at": {
            "type": "string"
          },
          "week": {
            "type": "string",
            "description": "ISO week of the closing, e.g. 2026-W48"
          },
          "sampled": {
            "type": "boolean",
            "description": "In the unit's deterministic sample for the week (spot_check_rate)"
          },
          "outcome": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "confirmed",
              "falsified",
              "perfunctory",
              null
            ]
          },
          "note": {
            "type": [
              "string",
              "null"
            ]
          },
          "recorded_by": {
            "type": [
              "string",
              "null"
            ]
          },
          "recorded_at": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      }
    }
  },
  "paths": {
    "/openapi.json": {
      "get": {
        "summary": "This document",
        "security": [],
        "responses": {
          "200": {
            "description": "OpenAPI 3.1",
            "content": {
              "application/json": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getOpenapiJson"
      }
    },
    "/healthz": {
      "get": {
        "summary": "Liveness",
        "security": [],
        "responses": {
          "200": {
            "description": "ok",
            "content": {
              "text/plain": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getHealthz"
      }
    },
    "/readyz": {
      "get": {
        "summary": "Readiness: database (and whether it can be written), migrations, bus, each followed stream's cursor, head, lag and state, open dead letters",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready: every stream flowing and the database writable; degraded (still 200) when warnings list something an operator must fix",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "status",
                    "service",
                    "database",
                    "migrations",
                    "expected_migrations",
                    "bus",
                    "streams",
                    "dead_letters",
                    "warnings",
                    "clock",
                    "clock_mode",
                    "stream_head"
                  ],
                  "properties": {
                    "status": {
                      "enum": [
                        "ready",
                        "degraded",
                        "not ready"
                      ]
                    },
                    "service": {
                      "type": "string"
                    },
                    "database": {
                      "type": "string",
                      "description": "ok; not writable: FAULT (the latest write failed on a storage fault: disk full, read-only, I/O, connection); or error: … when it cannot be read"
                    },
                    "migrations": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "expected_migrations": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "bus": {
                      "enum": [
                        "connected",
                        "disconnected"
                      ]
                    },
                    "streams": {
                      "type": "object",
                      "description": "Each followed stream",
                      "additionalProperties": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "cursor",
                          "head",
                          "lag",
                          "state"
                        ],
                        "properties": {
                          "cursor": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "head": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "lag": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "state": {
                            "enum": [
                              "flowing",
                              "stalled",
                              "broken"
                            ],
                            "description": "stalled: waiting out a storage fault, retried without end; broken: an event that does not continue the stream's chain was refused, waiting for the real one"
                          },
                          "fault": {
                            "type": [
                              "string",
                              "null"
                            ]
                          }
                        }
                      }
                    },
                    "dead_letters": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "warnings": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "description": "What the service works through but an operator must fix (status degraded, still 200): e.g. a calendar year missing from calendar.json"
                    },
                    "clock": {
                      "type": "string",
                      "format": "date-time",
                      "description": "The time this service stamps requests with now"
                    },
                    "clock_mode": {
                      "enum": [
                        "system",
                        "manual"
                      ],
                      "description": "manual: the suite's clock set with `hotline clock` (not ready until the bus has given it)"
                    },
                    "stream_head": {
                      "type": "integer",
                      "minimum": 0,
                      "description": "The head (last seq) of this service's own stream"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "503": {
            "description": "Not ready",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "status",
                    "service",
                    "database",
                    "migrations",
                    "expected_migrations",
                    "bus",
                    "streams",
                    "dead_letters",
                    "warnings",
                    "clock",
                    "clock_mode",
                    "stream_head"
                  ],
                  "properties": {
                    "status": {
                      "enum": [
                        "ready",
                        "degraded",
                        "not ready"
                      ]
                    },
                    "service": {
                      "type": "string"
                    },
                    "database": {
                      "type": "string",
                      "description": "ok; not writable: FAULT (the latest write failed on a storage fault: disk full, read-only, I/O, connection); or error: … when it cannot be read"
                    },
                    "migrations": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "expected_migrations": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "bus": {
                      "enum": [
                        "connected",
                        "disconnected"
                      ]
                    },
                    "streams": {
                      "type": "object",
                      "description": "Each followed stream",
                      "additionalProperties": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "cursor",
                          "head",
                          "lag",
                          "state"
                        ],
                        "properties": {
                          "cursor": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "head": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "lag": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "state": {
                            "enum": [
                              "flowing",
                              "stalled",
                              "broken"
                            ],
                            "description": "stalled: waiting out a storage fault, retried without end; broken: an event that does not continue the stream's chain was refused, waiting for the real one"
                          },
                          "fault": {
                            "type": [
                              "string",
                              "null"
                            ]
                          }
                        }
                      }
                    },
                    "dead_letters": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "warnings": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "description": "What the service works through but an operator must fix (status degraded, still 200): e.g. a calendar year missing from calendar.json"
                    },
                    "clock": {
                      "type": "string",
                      "format": "date-time",
                      "description": "The time this service stamps requests with now"
                    },
                    "clock_mode": {
                      "enum": [
                        "system",
                        "manual"
                      ],
                      "description": "manual: the suite's clock set with `hotline clock` (not ready until the bus has given it)"
                    },
                    "stream_head": {
                      "type": "integer",
                      "minimum": 0,
                      "description": "The head (last seq) of this service's own stream"
                    }
                  }
                }
              }
            }
          }
        },
        "operationId": "getReadyz"
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus metrics",
        "security": [],
        "responses": {
          "200": {
            "description": "Text exposition format",
            "content": {
              "text/plain": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getMetrics",
        "description": "Open unless HOTLINE_METRICS_TOKEN is set; then only `Authorization: Bearer <that token>` (the scraper's secret) gets them, and anything else a 401."
      }
    },
    "/v1/admin/dead-letters": {
      "get": {
        "summary": "Events this service could not apply (admin)",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "Open dead letters",
            "content": {
              "application/json": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1AdminDeadLetters"
      }
    },
    "/v1/admin/dead-letters/{stream}/{seq}/redrive": {
      "post": {
        "summary": "Apply a dead-lettered event again (admin)",
        "security": [
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "stream",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "seq",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1,
              "maximum": 9223372036854775807
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Outcome",
            "content": {
              "application/json": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "postV1AdminDeadLettersStreamSeqRedrive"
      }
    },
    "/v1/admin/rebuild": {
      "post": {
        "summary": "Recompute this service's projection from its followed streams (admin)",
        "description": "Empties the projection tables and moves every cursor back to 0 in one transaction while the followers hold; they then fetch each stream from seq 1 and apply it again. Figures are incomplete until /readyz shows lag 0 again. Only a service whose whole store is a projection of its streams (kpi) can be rebuilt; the others answer 409.",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "202": {
            "description": "The reset is committed; the streams are being applied again",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "service",
                    "tables",
                    "replaying"
                  ],
                  "properties": {
                    "service": {
                      "type": "string"
                    },
                    "tables": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "minItems": 1
                    },
                    "replaying": {
                      "type": "object",
                      "description": "Each followed stream's cursor before the reset: the events applied again",
                      "additionalProperties": {
                        "type": "integer",
                        "minimum": 0
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "postV1AdminRebuild"
      }
    },
    "/v1/admin/stream/verify": {
      "get": {
        "summary": "Recompute this service's event hash chain (admin, auditor)",
        "security": [
          {
            "adminToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "Whether the chain is intact",
            "content": {
              "application/json": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1AdminStreamVerify"
      }
    },
    "/v1/deadlines": {
      "get": {
        "summary": "Deadlines by state (centre, auditor)",
        "security": [
          {
            "centreToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "parameters": [
          {
            "name": "state",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "open",
                "paused",
                "missed",
                "met",
                "cancelled",
                ""
              ],
              "default": "open"
            },
            "description": "open: neither met, missed nor cancelled; paused: open with its clock stopped (一次告知); met: done in time; missed: its time passed first (a late reply is missed, never met); cancelled: ended by an approved return or an escalation. Empty is the same as absent."
          }
        ],
        "responses": {
          "200": {
            "description": "At most 1000, by due time. When a deadline's due moves (a pause ended, an extension approved) supervision announces it again with deadline.set.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "assignment",
                      "ticket",
                      "unit",
                      "which",
                      "policy",
                      "due",
                      "met_at",
                      "missed_at",
                      "cancelled_at",
                      "rule",
                      "done_at",
                      "paused_since",
                      "pause_reason",
                      "pauses",
                      "calendar_gap"
                    ],
                    "properties": {
                      "assignment": {
                        "type": "string"
                      },
                      "ticket": {
                        "type": "string"
                      },
                      "unit": {
                        "type": "string",
                        "description": "Whose deadline it is: the lead unit, or the assisting unit for assist:UNIT"
                      },
                      "which": {
                        "type": "string",
                        "pattern": "^(response|reply|assist:[^\\u0000-\\u001f\\u007f]+)$",
                        "description": "response (accept), reply, or assist:UNIT — an assisting unit's response due within assist_response of the dispatch"
                      },
                      "policy": {
                        "type": "string"
                      },
                      "due": {
                        "type": "string"
                      },
                      "met_at": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "missed_at": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "cancelled_at": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "rule": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "The SLA rule it runs by (e.g. workingDays(3)); null for a fixed due such as an approved extension's"
                      },
                      "done_at": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "When the unit did what was due, in time or late"
                      },
                      "paused_since": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "While the clock is stopped (一次告知): since when"
                      },
                      "pause_reason": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "What the citizen must supply, from the latest pause"
                      },
                      "pauses": {
                        "type": "integer",
                        "minimum": 0,
                        "description": "How often the clock was stopped"
                      },
                      "calendar_gap": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "Years (comma-separated) calendar.json does not cover that the due was counted across as plain Monday–Friday"
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1Deadlines"
      }
    },
    "/v1/calendar/{year}": {
      "get": {
        "summary": "The working-day calendar in use for a year: statutory holidays and make-up working days from calendar.json (centre, units, auditors)",
        "description": "A year calendar.json does not list is 404: working days in it are counted as plain Monday–Friday, which /readyz reports as a warning. Ops add a year by editing calendar.json and restarting.",
        "operationId": "getV1CalendarYear",
        "security": [
          {
            "centreToken": []
          },
          {
            "unitToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "parameters": [
          {
            "name": "year",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{4}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The year's calendar",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "year",
                    "holidays",
                    "workdays",
                    "working_days"
                  ],
                  "properties": {
                    "year": {
                      "type": "integer"
                    },
                    "holidays": {
                      "type": "array",
                      "items": {
                        "type": "string",
                        "format": "date"
                      },
                      "description": "Statutory holidays (no work)"
                    },
                    "workdays": {
                      "type": "array",
                      "items": {
                        "type": "string",
                        "format": "date"
                      },
                      "description": "Weekend days that are working days (调休)"
                    },
                    "working_days": {
                      "type": "integer",
                      "minimum": 0,
                      "description": "How many working days the year has"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/alerts": {
      "get": {
        "summary": "Alerts inbox (SU-8): ladder levels and hotspot clusters addressed to a unit's handler, deputy head or head, the unit, the task force or the county leader; newest first, paged (a unit: about its work or addressed to it; centre and auditors: all)",
        "operationId": "getV1Alerts",
        "security": [
          {
            "centreToken": []
          },
          {
            "unitToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "parameters": [
          {
            "name": "acknowledged",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false",
                ""
              ]
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "kind",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "ladder",
                "hotspot",
                "double",
                ""
              ]
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "ticket",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^$|^([1-9]|[1-9][0-9]|[1-4][0-9][0-9]|500)$"
            },
            "description": "Page size, 1 to 500 (default 100). Empty is the same as absent."
          },
          {
            "name": "after",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^$|^[^,\\u0000-\\u0008\\u000e-\\u001f\\u007f]+,[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            },
            "description": "The previous page's Next-Cursor. Empty is the same as absent."
          }
        ],
        "responses": {
          "200": {
            "description": "At most `limit`",
            "headers": {
              "Next-Cursor": {
                "description": "Present when more alerts follow: pass it as `after`",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Alert"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/alerts/{id}/acknowledge": {
      "post": {
        "summary": "Acknowledge an alert (the unit it is about or addressed to, or the centre); alert.acknowledged",
        "operationId": "postV1AlertsIdAcknowledge",
        "security": [
          {
            "centreToken": []
          },
          {
            "unitToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The alert, acknowledged",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Alert"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/tickets/{id}/urge": {
      "post": {
        "summary": "The centre urges (催办): the ticket's ladder one level up by hand, with a note (supervision.level_raised; a letter at 3 and 5; dispatch escalates at 4)",
        "operationId": "postV1TicketsIdUrge",
        "security": [
          {
            "centreToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "note"
                ],
                "description": "Unknown members are ignored.",
                "properties": {
                  "note": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$",
                    "description": "Why, as the unit will read it"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The level's alert",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Alert"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "415": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/letters/{id}": {
      "get": {
        "summary": "A supervision letter (督办函) or one-case report (一事一报): JSON, or printable text with format=text (centre, auditors, the unit it concerns)",
        "operationId": "getV1LettersId",
        "security": [
          {
            "centreToken": []
          },
          {
            "unitToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "format",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "text",
                ""
              ]
            },
            "description": "Empty is the same as absent (json)."
          }
        ],
        "responses": {
          "200": {
            "description": "The letter",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "id",
                    "number",
                    "kind",
                    "ticket",
                    "assignment",
                    "unit",
                    "addressee",
                    "issued_at",
                    "facts"
                  ],
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "number": {
                      "type": "string",
                      "description": "e.g. 督办〔2026〕1号"
                    },
                    "kind": {
                      "enum": [
                        "supervision_letter",
                        "one_case_report"
                      ]
                    },
                    "ticket": {
                      "type": "string"
                    },
                    "assignment": {
                      "type": "string"
                    },
                    "unit": {
                      "type": "string"
                    },
                    "addressee": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "role",
                        "name",
                        "unit"
                      ],
                      "properties": {
                        "role": {
                          "type": "string"
                        },
                        "name": {
                          "type": "string"
                        },
                        "unit": {
                          "type": "string"
                        }
                      }
                    },
                    "issued_at": {
                      "type": "string"
                    },
                    "facts": {
                      "type": "object",
                      "description": "The ticket, the unit, every deadline of the ticket and every level before this one"
                    }
                  }
                }
              },
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/hotspots": {
      "get": {
        "summary": "Live hotspot clusters (SU-5): tickets of one category at one place (grid, else normalised address) within the sliding window (sla.json hotspot_window, 24 h), from 3 up; biggest first (centre, auditors)",
        "operationId": "getV1Hotspots",
        "security": [
          {
            "centreToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "At most 500",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "place",
                      "category",
                      "count",
                      "level",
                      "unit",
                      "first_at",
                      "last_at"
                    ],
                    "properties": {
                      "place": {
                        "type": "string",
                        "description": "grid:CODE or address:NORMALISED"
                      },
                      "category": {
                        "type": "string"
                      },
                      "count": {
                        "type": "integer",
                        "minimum": 3
                      },
                      "level": {
                        "enum": [
                          "deputy",
                          "head",
                          "county"
                        ],
                        "description": "deputy: 3–9 (the lead unit's deputy head), head: 10–20, county: over 20 (the county leader)"
                      },
                      "unit": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "The lead unit by the catalogue (else the place's street)"
                      },
                      "first_at": {
                        "type": "string"
                      },
                      "last_at": {
                        "type": "string"
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/tickets/{id}/listing": {
      "post": {
        "summary": "List a ticket for supervision (挂牌督办): ticket.listed and a double alert to the lead unit's head and the county leader (centre)",
        "operationId": "postV1TicketsIdListing",
        "security": [
          {
            "centreToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "note"
                ],
                "description": "Unknown members are ignored.",
                "properties": {
                  "note": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Every double-alert reason the ticket has",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "ticket",
                    "reasons"
                  ],
                  "properties": {
                    "ticket": {
                      "type": "string"
                    },
                    "reasons": {
                      "type": "array",
                      "items": {
                        "enum": [
                          "reopened_twice",
                          "listed",
                          "petition_office"
                        ]
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "415": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/tickets/{id}/petition": {
      "post": {
        "summary": "Mark a ticket the petition office assigned too: a double alert to the lead unit's head and the county leader (centre)",
        "operationId": "postV1TicketsIdPetition",
        "security": [
          {
            "centreToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "note"
                ],
                "description": "Unknown members are ignored.",
                "properties": {
                  "note": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Every double-alert reason the ticket has",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "ticket",
                    "reasons"
                  ],
                  "properties": {
                    "ticket": {
                      "type": "string"
                    },
                    "reasons": {
                      "type": "array",
                      "items": {
                        "enum": [
                          "reopened_twice",
                          "listed",
                          "petition_office"
                        ]
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "415": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/spot-checks": {
      "get": {
        "summary": "Spot checks (SU-7): the week's deterministic sample of closed tickets per unit (scope=sample), or every closed ticket of the week (scope=all) (centre, auditors)",
        "operationId": "getV1SpotChecks",
        "security": [
          {
            "centreToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "parameters": [
          {
            "name": "week",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^$|^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"
            },
            "description": "ISO week (default: the current one). Empty is the same as absent."
          },
          {
            "name": "scope",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "sample",
                "all",
                ""
              ]
            },
            "description": "Empty is the same as absent (sample)."
          }
        ],
        "responses": {
          "200": {
            "description": "At most 1000, by unit and closing time",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/SpotCheck"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/spot-checks/{ticket}": {
      "post": {
        "summary": "Record a spot check of a closed ticket's latest round (centre): spot_check.recorded; falsified or perfunctory sends it back to the same lead (dispatch reopens it)",
        "operationId": "postV1SpotChecksTicket",
        "security": [
          {
            "centreToken": []
          }
        ],
        "parameters": [
          {
            "name": "ticket",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "outcome",
                  "note"
                ],
                "description": "Unknown members are ignored.",
                "properties": {
                  "outcome": {
                    "enum": [
                      "confirmed",
                      "falsified",
                      "perfunctory"
                    ]
                  },
                  "note": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The check",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SpotCheck"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          },
          "415": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    }
  }
}
"""#
}
