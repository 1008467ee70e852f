// The service's OpenAPI 3.1 document, served at /openapi.json with the county's value sets
// filled in (`OpenAPIDocument`). Swift source rather than a resource bundle: finding a bundle
// needs Foundation's `Bundle`, and the services link FoundationEssentials only (a smaller
// resident set per process). Edit the JSON between the delimiters; it is checked as JSON by
// the tests (OpenAPICoverageTests, InterfaceRulesTests).
extension SurveyService {
    static let openAPIJSON = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Hotline callback survey",
    "version": "1.0.0",
    "description": "A callback after every reply: reached or not (unreachable after 3 attempts), resolved or not, satisfaction. Errors are RFC 9457 problem+json; a 422 names every rejected field."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8083"
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
      "Callback": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "ticket",
          "assignment",
          "kind",
          "unit",
          "unit_name",
          "status",
          "due",
          "overdue",
          "attempts",
          "last_attempt_at",
          "claimed_by",
          "claim_expires_at",
          "reply",
          "reached",
          "resolved",
          "satisfaction",
          "comment",
          "agent",
          "completed_at"
        ],
        "properties": {
          "ticket": {
            "type": "string"
          },
          "assignment": {
            "type": "string",
            "description": "The reply's assignment, or intake:TICKET for a sampled consultation"
          },
          "kind": {
            "enum": [
              "reply",
              "intake_sample"
            ]
          },
          "unit": {
            "type": "string",
            "description": "The unit that replied (centre for an intake sample)"
          },
          "unit_name": {
            "type": "string"
          },
          "status": {
            "enum": [
              "scheduled",
              "completed",
              "unreachable"
            ]
          },
          "due": {
            "type": "string"
          },
          "overdue": {
            "type": "boolean",
            "description": "Still scheduled after its due time"
          },
          "attempts": {
            "type": "integer",
            "minimum": 0
          },
          "last_attempt_at": {
            "type": [
              "string",
              "null"
            ]
          },
          "claimed_by": {
            "type": [
              "string",
              "null"
            ],
            "description": "The agent holding a live claim"
          },
          "claim_expires_at": {
            "type": [
              "string",
              "null"
            ]
          },
          "reply": {
            "type": [
              "string",
              "null"
            ],
            "description": "What the unit replied (phone numbers masked)"
          },
          "reached": {
            "type": [
              "boolean",
              "null"
            ]
          },
          "resolved": {
            "type": [
              "boolean",
              "null"
            ]
          },
          "satisfaction": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "satisfied",
              "basic",
              "unsatisfied",
              null
            ]
          },
          "comment": {
            "type": [
              "string",
              "null"
            ],
            "description": "Masked: no phone number in any spelling"
          },
          "agent": {
            "type": [
              "string",
              "null"
            ]
          },
          "completed_at": {
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
    "/v1/callbacks": {
      "get": {
        "summary": "The callback queue (CB-1): by due time, filtered by status, unit and overdue, paged (callback agents, centre, auditors)",
        "security": [
          {
            "agentToken": []
          },
          {
            "centreToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "scheduled",
                "completed",
                "unreachable",
                ""
              ],
              "default": "scheduled"
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "unit",
            "in": "query",
            "schema": {
              "type": "string",
              "x-hotline-values": "units"
            },
            "description": "A unit of the directory, or centre (intake samples)"
          },
          {
            "name": "overdue",
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
            "description": "At most `limit`, by due time",
            "headers": {
              "Next-Cursor": {
                "description": "Present when more follow: pass it as `after`",
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
                    "$ref": "#/components/schemas/Callback"
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
        "operationId": "getV1Callbacks"
      }
    },
    "/v1/callbacks/{ticket}": {
      "post": {
        "summary": "Record a callback attempt or its outcome (callback agent): not reached (spaced by callback_spacing; unreachable after callback_attempts), or reached with resolved and satisfaction; not while another agent holds the claim",
        "security": [
          {
            "agentToken": []
          }
        ],
        "parameters": [
          {
            "name": "ticket",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
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
                  "reached"
                ],
                "properties": {
                  "reached": {
                    "type": "boolean"
                  },
                  "resolved": {
                    "type": [
                      "boolean",
                      "null"
                    ]
                  },
                  "satisfaction": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "enum": [
                      "satisfied",
                      "basic",
                      "unsatisfied",
                      null
                    ]
                  },
                  "comment": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  }
                },
                "description": "When the citizen was reached, resolved and satisfaction are required. Unknown members are ignored.",
                "if": {
                  "required": [
                    "reached"
                  ],
                  "properties": {
                    "reached": {
                      "const": true
                    }
                  }
                },
                "then": {
                  "required": [
                    "resolved",
                    "satisfaction"
                  ],
                  "properties": {
                    "resolved": {
                      "type": "boolean"
                    },
                    "satisfaction": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The callback after it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Callback"
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
          "415": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "postV1CallbacksTicket"
      }
    },
    "/v1/callbacks/{ticket}/claim": {
      "post": {
        "summary": "Claim the ticket's due callback for callback_claim (15 min), so no other agent calls the same citizen meanwhile; claiming again extends it (callback agent)",
        "operationId": "postV1CallbacksTicketClaim",
        "security": [
          {
            "agentToken": []
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
        "responses": {
          "200": {
            "description": "The callback",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Callback"
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
          }
        }
      }
    },
    "/v1/callbacks/{ticket}/release": {
      "post": {
        "summary": "Let go of a claim (callback agent)",
        "operationId": "postV1CallbacksTicketRelease",
        "security": [
          {
            "agentToken": []
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
        "responses": {
          "200": {
            "description": "The callback",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Callback"
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
          }
        }
      }
    },
    "/v1/callback-lists": {
      "get": {
        "summary": "Monthly callback list (CB-4): every callback completed or found unreachable in the month, per unit, with its outcome; JSON or CSV (UTF-8, RFC 4180)",
        "operationId": "getV1CallbackLists",
        "security": [
          {
            "agentToken": []
          },
          {
            "centreToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
            },
            "description": "A month in the county's zone, e.g. 2026-11"
          },
          {
            "name": "unit",
            "in": "query",
            "schema": {
              "type": "string",
              "x-hotline-values": "units"
            },
            "description": "One unit (or centre); all when absent"
          },
          {
            "name": "format",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "csv",
                ""
              ]
            },
            "description": "Empty is the same as absent (json)."
          }
        ],
        "responses": {
          "200": {
            "description": "The list",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "period",
                    "unit",
                    "unit_name",
                    "count",
                    "callbacks"
                  ],
                  "properties": {
                    "period": {
                      "type": "string"
                    },
                    "unit": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "unit_name": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "count": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "callbacks": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Callback"
                      }
                    }
                  }
                }
              },
              "text/csv": {
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
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/callback-summary": {
      "get": {
        "summary": "How many callbacks are scheduled, overdue, claimed, completed and unreachable (callback agents, centre, auditors)",
        "operationId": "getV1CallbackSummary",
        "security": [
          {
            "agentToken": []
          },
          {
            "centreToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "Counts",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "scheduled",
                    "overdue",
                    "claimed",
                    "completed",
                    "unreachable"
                  ],
                  "properties": {
                    "scheduled": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "overdue": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "claimed": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "completed": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "unreachable": {
                      "type": "integer",
                      "minimum": 0
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
    }
  }
}
"""#
}
