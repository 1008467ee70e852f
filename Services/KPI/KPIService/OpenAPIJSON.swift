// The service's OpenAPI 3.1 document, served at /openapi.json with the county's value sets
// filled in (`OpenAPIDocument`). Swift source rather than a resource bundle: finding a bundle
// needs Foundation's `Bundle`, and the services link FoundationEssentials only (a smaller
// resident set per process). Edit the JSON between the delimiters; it is checked as JSON by
// the tests (OpenAPICoverageTests, InterfaceRulesTests).
extension KPIService {
    static let openAPIJSON = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Hotline KPI",
    "version": "1.0.0",
    "description": "The figures auditors read, each with numerator, denominator and (with evidence=true) the ids behind them, exactly as kpi.md defines them. Errors are RFC 9457 problem+json; a 422 names every rejected field."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8084"
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
      "Figure": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id"
        ],
        "description": "One figure of kpi.md: a count (value, ids as numerator_ids) or a rate (value rounded to 4 decimals, null when the denominator is 0, with numerator and denominator); deadline-based rates carry final and pending. Ids only with evidence=true.",
        "properties": {
          "id": {
            "type": "string",
            "enum": [
              "received",
              "assignments",
              "response_rate",
              "on_time_rate",
              "resolution_rate",
              "satisfaction_rate",
              "return_rate",
              "rehandle_rate",
              "callback_rate",
              "same_day_rate",
              "avg_handling_hours",
              "overdue_backlog",
              "composite"
            ]
          },
          "value": {
            "type": [
              "number",
              "null"
            ]
          },
          "numerator": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "denominator": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "numerator_ids": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "type": "string"
            }
          },
          "denominator_ids": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "type": "string"
            }
          },
          "final": {
            "type": [
              "boolean",
              "null"
            ]
          },
          "pending": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          }
        }
      },
      "ReportSummary": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "period",
          "version",
          "scope",
          "published_at",
          "trigger",
          "sha256",
          "history"
        ],
        "properties": {
          "period": {
            "type": "string"
          },
          "version": {
            "type": "integer",
            "minimum": 1
          },
          "scope": {
            "type": "string",
            "enum": [
              "monthly"
            ]
          },
          "published_at": {
            "type": "string"
          },
          "trigger": {
            "type": "string",
            "enum": [
              "scheduled",
              "on_demand"
            ]
          },
          "sha256": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$"
          },
          "history": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "stream",
                "seq",
                "hash"
              ],
              "properties": {
                "stream": {
                  "type": "string"
                },
                "seq": {
                  "type": "integer",
                  "minimum": 0
                },
                "hash": {
                  "type": "string",
                  "pattern": "^[0-9a-f]{64}$"
                }
              }
            },
            "description": "Each followed stream's last applied seq and hash when the report was computed: the history it rests on"
          }
        }
      },
      "Rates": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "assignments",
          "overdue_backlog"
        ],
        "properties": {
          "composite": {
            "type": [
              "number",
              "null"
            ]
          },
          "response_rate": {
            "type": [
              "number",
              "null"
            ]
          },
          "on_time_rate": {
            "type": [
              "number",
              "null"
            ]
          },
          "resolution_rate": {
            "type": [
              "number",
              "null"
            ]
          },
          "satisfaction_rate": {
            "type": [
              "number",
              "null"
            ]
          },
          "assignments": {
            "type": "integer",
            "minimum": 0
          },
          "overdue_backlog": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "RankedUnit": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "rank",
          "unit",
          "name",
          "rates"
        ],
        "properties": {
          "rank": {
            "type": "integer",
            "minimum": 1
          },
          "unit": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "rates": {
            "$ref": "#/components/schemas/Rates"
          }
        }
      },
      "MonthlyReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "period",
          "from",
          "to",
          "definition_version",
          "version",
          "published_at",
          "trigger",
          "county",
          "total",
          "ranking",
          "warning_letters",
          "health_reports"
        ],
        "description": "The canonical bytes (sorted keys, no insignificant whitespace) whose SHA-256 is X-Report-SHA256 and the sha256 of report.published",
        "properties": {
          "period": {
            "type": "string"
          },
          "from": {
            "type": "string"
          },
          "to": {
            "type": "string"
          },
          "definition_version": {
            "type": "string"
          },
          "version": {
            "type": "integer",
            "minimum": 1
          },
          "published_at": {
            "type": "string"
          },
          "trigger": {
            "type": "string",
            "enum": [
              "scheduled",
              "on_demand"
            ]
          },
          "county": {
            "type": "string"
          },
          "total": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Figure"
            }
          },
          "ranking": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RankedUnit"
            }
          },
          "warning_letters": {
            "type": "array",
            "maxItems": 3,
            "description": "提醒函 to the heads of the bottom three (none when fewer than four units are ranked)",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "number",
                "unit",
                "name",
                "addressee",
                "rank",
                "of",
                "text"
              ],
              "properties": {
                "number": {
                  "type": "string"
                },
                "unit": {
                  "type": "string"
                },
                "name": {
                  "type": "string"
                },
                "addressee": {
                  "type": "string"
                },
                "rank": {
                  "type": "integer"
                },
                "of": {
                  "type": "integer"
                },
                "text": {
                  "type": "string"
                }
              }
            }
          },
          "health_reports": {
            "type": "array",
            "description": "体检报告 per unit",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "unit",
                "name",
                "figures",
                "trend",
                "worst_categories",
                "overdue_assignments"
              ],
              "properties": {
                "unit": {
                  "type": "string"
                },
                "name": {
                  "type": "string"
                },
                "rank": {
                  "type": [
                    "integer",
                    "null"
                  ]
                },
                "figures": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Figure"
                  }
                },
                "trend": {
                  "type": "array",
                  "maxItems": 6,
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "period",
                      "rates"
                    ],
                    "properties": {
                      "period": {
                        "type": "string"
                      },
                      "rates": {
                        "$ref": "#/components/schemas/Rates"
                      }
                    }
                  }
                },
                "worst_categories": {
                  "type": "array",
                  "maxItems": 3,
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "category",
                      "name",
                      "rates"
                    ],
                    "properties": {
                      "category": {
                        "type": "string"
                      },
                      "name": {
                        "type": "string"
                      },
                      "rates": {
                        "$ref": "#/components/schemas/Rates"
                      }
                    }
                  }
                },
                "overdue_assignments": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                }
              }
            }
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
    "/v1/kpi": {
      "get": {
        "summary": "Figures for a period (auditor, centre)",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])|(19|2[0-9])[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)\\.\\.((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29))$"
            },
            "description": "2026-11 (month), 2026-11-22 (day), 2026-W47 (ISO week) or 2026-11-01..2026-11-16 (days, end exclusive), in the configured zone. A well-formed period that holds no time (week 53 of a 52-week year, a range that ends before it starts) answers 404."
          },
          {
            "name": "by",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "unit",
                "channel",
                "category",
                "kind",
                "domain",
                "street",
                "community",
                "tag",
                ""
              ]
            },
            "description": "unit: figures per lead unit (units); a ticket field: figures per value of it (groups) — street and community by the ticket's region code; tag: a ticket is in the group of each of its tags. Empty is the same as absent."
          },
          {
            "name": "evidence",
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
            "description": "csv: one row per scope and figure (UTF-8, RFC 4180), the evidence ids space-separated with evidence=true. Empty is the same as absent (json)."
          }
        ],
        "responses": {
          "200": {
            "description": "total; units when by=unit; groups when by is a ticket field",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "period",
                    "from",
                    "to",
                    "definition_version",
                    "total"
                  ],
                  "properties": {
                    "period": {
                      "type": "string"
                    },
                    "from": {
                      "type": "string"
                    },
                    "to": {
                      "type": "string"
                    },
                    "definition_version": {
                      "type": "string"
                    },
                    "total": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Figure"
                      }
                    },
                    "units": {
                      "type": [
                        "array",
                        "null"
                      ],
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "unit",
                          "name",
                          "figures"
                        ],
                        "properties": {
                          "unit": {
                            "type": "string"
                          },
                          "name": {
                            "type": "string"
                          },
                          "figures": {
                            "type": "array",
                            "items": {
                              "$ref": "#/components/schemas/Figure"
                            }
                          }
                        }
                      }
                    },
                    "groups": {
                      "type": [
                        "array",
                        "null"
                      ],
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "by",
                          "key",
                          "name",
                          "figures"
                        ],
                        "properties": {
                          "by": {
                            "type": "string"
                          },
                          "key": {
                            "type": "string"
                          },
                          "name": {
                            "type": "string"
                          },
                          "figures": {
                            "type": "array",
                            "items": {
                              "$ref": "#/components/schemas/Figure"
                            }
                          }
                        }
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
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1Kpi",
        "description": "Every figure of kpi.md for the period: received (total only), assignments, response_rate, on_time_rate, resolution_rate, satisfaction_rate, return_rate, rehandle_rate, callback_rate, same_day_rate (total only), avg_handling_hours, overdue_backlog, composite — each with value, numerator and denominator (numerator_ids and denominator_ids with evidence=true). The deadline-based rates (response_rate, on_time_rate, callback_rate) carry final (false until the period's last deadline has passed) and pending (deadlines still ahead and not met, in neither count)."
      }
    },
    "/v1/tickets/{id}/assessment": {
      "get": {
        "summary": "One ticket assessed (一事一考): each assignment's response and reply in time or late (or pending), the callbacks, what the citizen said, returns and reopenings (auditor, centre)",
        "operationId": "getV1TicketsIdAssessment",
        "security": [
          {
            "auditorToken": []
          },
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
        "responses": {
          "200": {
            "description": "The assessment",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "ticket",
                    "received_at",
                    "channel",
                    "category",
                    "kind",
                    "closed_at_intake",
                    "first_reply_at",
                    "assignments",
                    "callbacks",
                    "resolved",
                    "satisfaction",
                    "returns",
                    "reopenings"
                  ],
                  "properties": {
                    "ticket": {
                      "type": "string"
                    },
                    "received_at": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "channel": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "category": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "kind": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "closed_at_intake": {
                      "type": "boolean"
                    },
                    "first_reply_at": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "assignments": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "id",
                          "unit",
                          "round",
                          "dispatched_at",
                          "response",
                          "reply",
                          "approved_return",
                          "escalated_at"
                        ],
                        "properties": {
                          "id": {
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
                          },
                          "round": {
                            "type": "integer"
                          },
                          "dispatched_at": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "response": {
                            "type": [
                              "string",
                              "null"
                            ],
                            "enum": [
                              "in_time",
                              "late",
                              "pending",
                              "escalated",
                              null
                            ]
                          },
                          "reply": {
                            "type": [
                              "string",
                              "null"
                            ],
                            "enum": [
                              "in_time",
                              "late",
                              "pending",
                              "escalated",
                              null
                            ]
                          },
                          "approved_return": {
                            "type": "boolean"
                          },
                          "escalated_at": {
                            "type": [
                              "string",
                              "null"
                            ]
                          }
                        }
                      }
                    },
                    "callbacks": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "assignment",
                          "due",
                          "completed_at",
                          "unreachable_at",
                          "resolved",
                          "satisfaction"
                        ],
                        "properties": {
                          "assignment": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "due": {
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
                          },
                          "unreachable_at": {
                            "type": [
                              "string",
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
                            ]
                          }
                        }
                      }
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
                      ]
                    },
                    "returns": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "reopenings": {
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
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/kpi/evidence": {
      "get": {
        "summary": "The evidence of one figure (KP-3): the ids in its numerator or denominator (a count's ids on either side), in the order of the date that puts each in the cohort (its deadline, dispatch, callback, request…) then id, paged, as JSON or CSV (auditor, centre)",
        "operationId": "getV1KpiEvidence",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])|(19|2[0-9])[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)\\.\\.((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29))$"
            },
            "description": "2026-11 (month), 2026-11-22 (day), 2026-W47 (ISO week) or 2026-11-01..2026-11-16 (days, end exclusive), in the configured zone. A well-formed period that holds no time (week 53 of a 52-week year, a range that ends before it starts) answers 404."
          },
          {
            "name": "figure",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "enum": [
                "received",
                "assignments",
                "response_rate",
                "on_time_rate",
                "resolution_rate",
                "satisfaction_rate",
                "return_rate",
                "rehandle_rate",
                "callback_rate",
                "same_day_rate",
                "avg_handling_hours",
                "overdue_backlog"
              ]
            }
          },
          {
            "name": "side",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "numerator",
                "denominator",
                ""
              ]
            },
            "description": "Empty is the same as absent (denominator)."
          },
          {
            "name": "unit",
            "in": "query",
            "schema": {
              "type": "string",
              "x-hotline-values": "units"
            },
            "description": "A lead unit; the county's figure when absent"
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
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^$|^([1-9][0-9]{0,3}|10000)$"
            },
            "description": "Page size, 1 to 10,000 (default 500). Empty is the same as absent."
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
            "description": "One page of ids",
            "headers": {
              "Next-Cursor": {
                "description": "Present when more ids follow: pass it as `after`",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "period",
                    "figure",
                    "unit",
                    "side",
                    "total",
                    "ids",
                    "definition_version"
                  ],
                  "properties": {
                    "period": {
                      "type": "string"
                    },
                    "figure": {
                      "type": "string"
                    },
                    "unit": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "side": {
                      "enum": [
                        "numerator",
                        "denominator"
                      ]
                    },
                    "total": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "ids": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "definition_version": {
                      "type": "string"
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
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/audit/recompute": {
      "post": {
        "summary": "Recompute a period's figures from the streams and compare them with the live ones (KP-3; auditor, admin)",
        "description": "Reads each followed stream's cursor (seq and hash of the last event applied) and the live figures in one snapshot; re-reads every followed stream from seq 1 through the bus up to that cursor, verifying its hash chain from the genesis hash; recomputes the facts in memory and every figure of the period for the county, each unit and each value of every dimension; lists each cell (scope, key, figure) whose value, counts or evidence ids differ. One recomputation at a time (409 while one runs). `hotline audit recompute --period P` calls it and prints each stream's head hash.",
        "operationId": "postV1AuditRecompute",
        "security": [
          {
            "auditorToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])|(19|2[0-9])[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)\\.\\.((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29))$"
            },
            "description": "2026-11 (month), 2026-11-22 (day), 2026-W47 (ISO week) or 2026-11-01..2026-11-16 (days, end exclusive), in the configured zone. A well-formed period that holds no time (week 53 of a 52-week year, a range that ends before it starts) answers 404."
          }
        ],
        "responses": {
          "200": {
            "description": "The comparison",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "period",
                    "definition_version",
                    "as_of",
                    "streams",
                    "cells_compared",
                    "differences_total",
                    "differences",
                    "verdict",
                    "events_per_second",
                    "seconds"
                  ],
                  "properties": {
                    "period": {
                      "type": "string"
                    },
                    "definition_version": {
                      "type": "string"
                    },
                    "as_of": {
                      "type": "string",
                      "description": "The service clock's time both sides were computed at"
                    },
                    "streams": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "stream",
                          "events",
                          "head_hash",
                          "producer_head",
                          "chain",
                          "unreadable"
                        ],
                        "properties": {
                          "stream": {
                            "type": "string"
                          },
                          "events": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "Events re-read and verified: the live store's cursor"
                          },
                          "head_hash": {
                            "type": "string",
                            "pattern": "^[0-9a-f]{64}$",
                            "description": "The hash of the last of them: pins the history the figures were computed from"
                          },
                          "producer_head": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "The producer's head when read; later events are not part of this audit"
                          },
                          "chain": {
                            "type": "string",
                            "description": "verified, or where and why the chain broke or differs from what the live store applied"
                          },
                          "unreadable": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "Events whose payload no figure could read (dead letters in the live store)"
                          }
                        }
                      }
                    },
                    "cells_compared": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "differences_total": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "differences": {
                      "type": "array",
                      "maxItems": 1000,
                      "description": "The first 1,000 differing cells",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "scope",
                          "key",
                          "figure"
                        ],
                        "properties": {
                          "scope": {
                            "type": "string",
                            "description": "total, unit, or a dimension (channel, category, kind, domain, street, community, tag)"
                          },
                          "key": {
                            "type": "string"
                          },
                          "figure": {
                            "type": "string"
                          },
                          "live": {
                            "oneOf": [
                              {
                                "$ref": "#/components/schemas/Figure"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "recomputed": {
                            "oneOf": [
                              {
                                "$ref": "#/components/schemas/Figure"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        }
                      }
                    },
                    "verdict": {
                      "type": "string",
                      "enum": [
                        "identical",
                        "different",
                        "chain_broken"
                      ]
                    },
                    "events_per_second": {
                      "type": "number",
                      "minimum": 0
                    },
                    "seconds": {
                      "type": "number",
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
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "503": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/reports": {
      "get": {
        "summary": "Every published version, newest period first (auditor, centre, admin)",
        "operationId": "getV1Reports",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          },
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "Versions (no bodies), at most 1,000",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/ReportSummary"
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
    "/v1/reports/{period}": {
      "get": {
        "summary": "The latest version of a month's report: its exact stored bytes (auditor, centre, admin)",
        "operationId": "getV1ReportsPeriod",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
            },
            "description": "A month, such as 2026-10"
          }
        ],
        "responses": {
          "200": {
            "description": "The report",
            "headers": {
              "X-Report-SHA256": {
                "schema": {
                  "type": "string"
                },
                "description": "SHA-256 of the body"
              },
              "X-Report-Version": {
                "schema": {
                  "type": "string"
                }
              },
              "ETag": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MonthlyReport"
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
    "/v1/reports/{period}/versions/{n}": {
      "get": {
        "summary": "One version of a month's report, byte for byte as published (auditor, centre, admin)",
        "operationId": "getV1ReportsPeriodVersionsN",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
            },
            "description": "A month, such as 2026-10"
          },
          {
            "name": "n",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[1-9][0-9]{0,5}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The report",
            "headers": {
              "X-Report-SHA256": {
                "schema": {
                  "type": "string"
                },
                "description": "SHA-256 of the body"
              },
              "X-Report-Version": {
                "schema": {
                  "type": "string"
                }
              },
              "ETag": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MonthlyReport"
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
    "/v1/reports/{period}/publish": {
      "post": {
        "summary": "Publish a month's report now: a new version, never an edit (centre, admin)",
        "description": "Computes the report from the live facts as of the service clock (figures of a month not over yet carry final: false), stores its canonical bytes with their SHA-256 and emits report.published with the history it rests on. The month's own version is published by itself report_publish_after (sla.json, 3 days in the sample) after the month ends, even when versions were published on demand before.",
        "operationId": "postV1ReportsPeriodPublish",
        "security": [
          {
            "centreToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
            },
            "description": "A month, such as 2026-10"
          }
        ],
        "responses": {
          "201": {
            "description": "Published",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReportSummary"
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
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "503": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/ranking": {
      "get": {
        "summary": "The ranking of kpi.md for any period, live (auditor, centre, admin)",
        "description": "Units with at least one assignment in the period, by composite descending (none last), then assignments descending, then unit id.",
        "operationId": "getV1Ranking",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])|(19|2[0-9])[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)\\.\\.((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29))$"
            },
            "description": "2026-11 (month), 2026-11-22 (day), 2026-W47 (ISO week) or 2026-11-01..2026-11-16 (days, end exclusive), in the configured zone. A well-formed period that holds no time (week 53 of a 52-week year, a range that ends before it starts) answers 404."
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
            "description": "The ranking",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "period",
                    "definition_version",
                    "ranking"
                  ],
                  "properties": {
                    "period": {
                      "type": "string"
                    },
                    "definition_version": {
                      "type": "string"
                    },
                    "ranking": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/RankedUnit"
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
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/bulletins/emergency": {
      "get": {
        "summary": "紧急诉求每日快报: the emergency tickets received on one local date, with the first lead's response and each ticket's state (auditor, centre, admin)",
        "description": "An emergency is a ticket the caller marked urgency emergency, or one of a category the county marks emergency (DI-7). format=text gives the bulletin as circulated.",
        "operationId": "getV1BulletinsEmergency",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "date",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)$"
            },
            "description": "A local date that exists, such as 2026-11-23"
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
            "description": "The bulletin",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "date",
                    "count",
                    "as_of",
                    "tickets"
                  ],
                  "properties": {
                    "date": {
                      "type": "string"
                    },
                    "count": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "as_of": {
                      "type": "string"
                    },
                    "tickets": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "ticket",
                          "received_at",
                          "category",
                          "category_name",
                          "state"
                        ],
                        "properties": {
                          "ticket": {
                            "type": "string"
                          },
                          "received_at": {
                            "type": "string"
                          },
                          "category": {
                            "type": "string"
                          },
                          "category_name": {
                            "type": "string"
                          },
                          "place": {
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
                          },
                          "unit_name": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "minutes_to_accept": {
                            "type": [
                              "number",
                              "null"
                            ]
                          },
                          "response": {
                            "type": [
                              "string",
                              "null"
                            ],
                            "enum": [
                              "in_time",
                              "late",
                              "pending",
                              null
                            ]
                          },
                          "state": {
                            "type": "string",
                            "enum": [
                              "received",
                              "dispatched",
                              "accepted",
                              "replied",
                              "closed",
                              "closed_at_intake"
                            ]
                          }
                        }
                      }
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
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/hot-topics": {
      "get": {
        "summary": "Hot topics (KP-5): categories or places rising this ISO week, against the week before and the same week a year earlier (auditor, centre, admin)",
        "description": "Every key with requests received in the week, rising first: by the increase over the week before, then over the same week a year earlier, then the count, then the key.",
        "operationId": "getV1HotTopics",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "week",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^(19|2[0-9])[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])$"
            },
            "description": "An ISO week, such as 2026-W48; week 53 of a 52-week year answers 404"
          },
          {
            "name": "by",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "category",
                "street",
                "community",
                ""
              ]
            },
            "description": "category (default), or the street or community of the ticket's region. Empty is the same as absent."
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^$|^([1-9][0-9]?|[1-4][0-9]{2}|500)$"
            },
            "description": "At most this many topics, 1 to 500 (default 20). Empty is the same as absent."
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
            "description": "The topics",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "week",
                    "by",
                    "from",
                    "to",
                    "topics"
                  ],
                  "properties": {
                    "week": {
                      "type": "string"
                    },
                    "by": {
                      "type": "string"
                    },
                    "from": {
                      "type": "string"
                    },
                    "to": {
                      "type": "string"
                    },
                    "topics": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "key",
                          "name",
                          "count",
                          "previous_week",
                          "same_week_last_year"
                        ],
                        "properties": {
                          "key": {
                            "type": "string"
                          },
                          "name": {
                            "type": "string"
                          },
                          "count": {
                            "type": "integer",
                            "minimum": 1
                          },
                          "previous_week": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "same_week_last_year": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "week_over_week": {
                            "type": [
                              "number",
                              "null"
                            ],
                            "description": "(count − previous_week) / previous_week; absent when the week before had none"
                          },
                          "year_over_year": {
                            "type": [
                              "number",
                              "null"
                            ],
                            "description": "against the same ISO week a year earlier (week 52 when that year has no week 53)"
                          }
                        }
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
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/v1/dashboard-links": {
      "post": {
        "summary": "A link that opens the HTML dashboard of one period in a browser or on a wall screen, for 12 hours (auditor, centre, admin)",
        "description": "Signed with a key the service keeps in memory only: a restart revokes every link. The link opens that period's dashboard and nothing else.",
        "operationId": "postV1DashboardLinks",
        "security": [
          {
            "auditorToken": []
          },
          {
            "centreToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "period",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "pattern": "^$|^((19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])|(19|2[0-9])[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)\\.\\.((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29))$"
            },
            "description": "As for /v1/kpi; the service clock's month when absent. Empty is the same as absent."
          }
        ],
        "responses": {
          "201": {
            "description": "The link",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "url",
                    "period",
                    "expires_at"
                  ],
                  "properties": {
                    "url": {
                      "type": "string",
                      "description": "Path and query of the dashboard, relative to this service"
                    },
                    "period": {
                      "type": "string"
                    },
                    "expires_at": {
                      "type": "string"
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
    "/dashboard": {
      "get": {
        "summary": "The HTML dashboard (KP-6): figure cards, unit ranking bars, six months of trend lines and the week's hot places, as inline SVG with no script or external asset",
        "description": "No token is needed by the HTTP layer: the page checks either a staff token (auditor, centre, admin) in the Authorization header, or a link from POST /v1/dashboard-links (401 without either, 403 for another role). Each number carries its exact value in a data- attribute (data-figure/data-value, data-unit/data-composite, data-month/data-value, data-key/data-count) equal to the JSON API's.",
        "operationId": "getDashboard",
        "security": [
          {}
        ],
        "parameters": [
          {
            "name": "period",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "pattern": "^$|^((19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])|(19|2[0-9])[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)\\.\\.((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29))$"
            },
            "description": "As for /v1/kpi; the service clock's month when absent. Empty is the same as absent."
          },
          {
            "name": "link",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,20}\\.[0-9a-f]{64}$|^$"
            },
            "description": "A link's signature from POST /v1/dashboard-links (expiry.signature). Empty is the same as absent."
          }
        ],
        "responses": {
          "200": {
            "description": "The page",
            "content": {
              "text/html": {
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
    }
  }
}
"""#
}
