// The service's OpenAPI 3.1 document, served at /openapi.json with the county's value sets
// filled in (`OpenAPIDocument`). Swift source rather than a resource bundle: finding a bundle
// needs Foundation's `Bundle`, and the services link FoundationEssentials only (a smaller
// resident set per process). Edit the JSON between the delimiters; it is checked as JSON by
// the tests (OpenAPICoverageTests, InterfaceRulesTests).
extension DispatchService {
    static let openAPIJSON = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Hotline dispatch",
    "version": "1.0.0",
    "description": "Routes tickets to the responsible units by the responsibility catalogue; units accept and reply to their own assignments (another unit's is 404, as if it did not exist); the centre works the manual queue. Errors are RFC 9457 problem+json; a 422 names every rejected field."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8081"
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
      "Assignment": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "ticket",
          "round",
          "tier",
          "mode",
          "lead_unit",
          "assisting_units",
          "status",
          "dispatched_at",
          "extension_pending",
          "extensions_approved",
          "escalation_pending"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "ticket": {
            "type": "string"
          },
          "round": {
            "type": "integer",
            "minimum": 1
          },
          "tier": {
            "type": "integer",
            "minimum": 1,
            "maximum": 4
          },
          "mode": {
            "enum": [
              "independent",
              "lead_assist",
              "joint"
            ]
          },
          "lead_unit": {
            "type": "string"
          },
          "assisting_units": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "status": {
            "enum": [
              "dispatched",
              "accepted",
              "paused",
              "replied",
              "return_requested",
              "returned",
              "escalated"
            ]
          },
          "dispatched_at": {
            "type": "string"
          },
          "accepted_at": {
            "type": "string"
          },
          "replied_at": {
            "type": "string"
          },
          "result": {
            "type": "string"
          },
          "pause_missing": {
            "type": "string",
            "description": "While paused: what the citizen must supply"
          },
          "extension_pending": {
            "type": "boolean",
            "description": "An extension request waits for the centre"
          },
          "extensions_approved": {
            "type": "integer",
            "minimum": 0
          },
          "extended_reply_due": {
            "type": "string",
            "description": "The reply due of the latest approved extension"
          },
          "escalation_pending": {
            "type": "boolean",
            "description": "An escalation request waits for the centre"
          },
          "reply_attachments": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Links the lead unit attached to its reply"
          },
          "joint_leads": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Joint mode (联合办理): every lead of the joint dispatch, this one included, each replying for its own part"
          },
          "response_due": {
            "type": "string",
            "description": "The response (accept) due, from supervision's deadline.set; absent until supervision has set it"
          },
          "reply_due": {
            "type": "string",
            "description": "The reply due: an approved extension's, else supervision's; absent until known"
          },
          "due_at": {
            "type": "string",
            "description": "The next due the unit must meet: the response due until accepted, then the reply due. The inbox sorts by it"
          }
        }
      },
      "Dispute": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "assignment",
          "ticket",
          "unit",
          "reason",
          "requested_by",
          "requested_at",
          "status"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "assignment": {
            "type": "string"
          },
          "ticket": {
            "type": "string"
          },
          "unit": {
            "type": "string"
          },
          "reason": {
            "type": "string"
          },
          "requested_by": {
            "type": "string"
          },
          "requested_at": {
            "type": "string"
          },
          "status": {
            "enum": [
              "open",
              "approved",
              "rejected"
            ]
          },
          "decided_by": {
            "type": "string"
          },
          "decided_at": {
            "type": "string"
          },
          "decision": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "dispute",
              "assignment",
              "unit",
              "approved",
              "assisting_units",
              "by"
            ],
            "properties": {
              "dispute": {
                "type": "string"
              },
              "assignment": {
                "type": "string"
              },
              "unit": {
                "type": "string"
              },
              "approved": {
                "type": "boolean"
              },
              "new_lead": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "assisting_units": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "new_assignment": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "note": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "panel": {
                "anyOf": [
                  {
                    "type": "null"
                  },
                  {
                    "type": "object"
                  }
                ]
              },
              "by": {
                "type": "object"
              },
              "boundary_rule": {
                "anyOf": [
                  {
                    "type": "null"
                  },
                  {
                    "type": "object"
                  }
                ]
              }
            }
          }
        }
      },
      "CatalogueRule": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "category",
          "region",
          "lead",
          "assists",
          "source",
          "dispute",
          "added_by",
          "added_at",
          "retired_at",
          "joint_leads",
          "mode"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "category": {
            "type": "string"
          },
          "region": {
            "type": [
              "string",
              "null"
            ]
          },
          "lead": {
            "type": "string"
          },
          "assists": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "source": {
            "enum": [
              "configuration",
              "boundary"
            ]
          },
          "dispute": {
            "type": [
              "string",
              "null"
            ]
          },
          "added_by": {
            "type": [
              "string",
              "null"
            ]
          },
          "added_at": {
            "type": [
              "string",
              "null"
            ]
          },
          "retired_at": {
            "type": [
              "string",
              "null"
            ]
          },
          "joint_leads": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Joint mode: the leads besides `lead`, each replying for its own part"
          },
          "mode": {
            "enum": [
              "independent",
              "lead_assist",
              "joint"
            ],
            "description": "How the rule dispatches: one lead, a lead with assisting units, or several joint leads"
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
    "/v1/queue": {
      "get": {
        "summary": "The centre's manual queue (tickets no rule matched)",
        "security": [
          {
            "centreToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "Queued tickets, oldest first",
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
        "operationId": "getV1Queue"
      }
    },
    "/v1/tickets/{id}/dispatch": {
      "post": {
        "summary": "Dispatch a queued ticket by hand (centre)",
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
                  "lead_unit"
                ],
                "description": "Unknown members are ignored.",
                "properties": {
                  "lead_unit": {
                    "type": "string",
                    "description": "A unit of the directory.",
                    "x-hotline-values": "units"
                  },
                  "assisting_units": {
                    "type": [
                      "array",
                      "null"
                    ],
                    "uniqueItems": true,
                    "description": "Units of the directory, each once; a unit that leads (the lead or a joint lead) is left out if listed.",
                    "items": {
                      "type": "string",
                      "x-hotline-values": "units"
                    },
                    "maxItems": 20
                  },
                  "joint_units": {
                    "type": [
                      "array",
                      "null"
                    ],
                    "uniqueItems": true,
                    "maxItems": 9,
                    "description": "Joint mode (联合办理): further lead units, each with its own assignment and reply; the ticket is replied when every lead has replied. The lead is left out if listed.",
                    "items": {
                      "type": "string",
                      "x-hotline-values": "units"
                    }
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new assignment",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "AcceptAssignment": {
                "operationId": "postV1AssignmentsIdAccept",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "ReplyAssignment": {
                "operationId": "postV1AssignmentsIdReply",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1TicketsIdDispatch"
      }
    },
    "/v1/assignments": {
      "get": {
        "summary": "Assignments: a unit's inbox (the work it leads — alone or as a joint lead — and the work it assists), the centre all; soonest due first (or by dispatch time), paged (Next-Cursor)",
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
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "dispatched",
                "accepted",
                "paused",
                "replied",
                "return_requested",
                "returned",
                "escalated",
                ""
              ]
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "unit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "role",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "lead",
                "assisting",
                ""
              ]
            },
            "description": "For a unit: only the work it leads, or only the work it assists. Empty is the same as absent."
          },
          {
            "name": "tier",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "1",
                "2",
                "3",
                "4",
                ""
              ]
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "mode",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "independent",
                "lead_assist",
                "joint",
                ""
              ]
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "sort",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "due",
                "dispatched",
                ""
              ]
            },
            "description": "`due` (default): by the next due the unit must meet, soonest first, work whose due is not yet known last; `dispatched`: by dispatch time. Empty is the same as absent."
          },
          {
            "name": "due_before",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^$|^((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
            },
            "description": "Only work whose next due (`due_at`) is before this date-time with its offset, e.g. 2026-12-01T18:00:00+08:00. Empty is the same as absent."
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^$|^([1-9]|[1-9][0-9]|[1-4][0-9][0-9]|500)$"
            },
            "description": "Page size, 1 to 500 (default 500). Empty is the same as absent."
          },
          {
            "name": "after",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^$|^[^,\\u0000-\\u0008\\u000e-\\u001f\\u007f]+,[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            },
            "description": "The previous page's Next-Cursor (its last sort key and id). Empty is the same as absent."
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
                    "$ref": "#/components/schemas/Assignment"
                  }
                }
              }
            },
            "headers": {
              "Next-Cursor": {
                "description": "Present when more assignments follow: pass it as `after` for the next page",
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
        },
        "operationId": "getV1Assignments"
      }
    },
    "/v1/assignments/{id}": {
      "get": {
        "summary": "One assignment (a unit: its own only)",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The assignment",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
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
        },
        "operationId": "getV1AssignmentsId"
      }
    },
    "/v1/assignments/{id}/accept": {
      "post": {
        "summary": "Accept (签收) an assignment",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Accepted",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
        },
        "operationId": "postV1AssignmentsIdAccept"
      }
    },
    "/v1/assignments/{id}/reply": {
      "post": {
        "summary": "Reply (答复) with the result; the callback follows",
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
                  "result"
                ],
                "properties": {
                  "result": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 5000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  },
                  "attachments": {
                    "type": [
                      "array",
                      "null"
                    ],
                    "maxItems": 10,
                    "description": "Links to photos or documents of what was done",
                    "items": {
                      "type": "string",
                      "maxLength": 2048,
                      "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"
                    }
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Replied",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdReply"
      }
    },
    "/v1/units": {
      "get": {
        "summary": "The directory's units, by tier then id (DI-1)",
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
            "name": "kind",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "department",
                "street",
                "community",
                "utility",
                "carrier",
                "emergency",
                "leadership",
                ""
              ]
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "tier",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "1",
                "2",
                "3",
                "4",
                ""
              ]
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "parent",
            "in": "query",
            "schema": {
              "type": "string",
              "anyOf": [
                {
                  "x-hotline-values": "units"
                },
                {
                  "maxLength": 0
                }
              ]
            },
            "description": "Units directly under this one. Empty is the same as absent."
          }
        ],
        "responses": {
          "200": {
            "description": "The units",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "id",
                      "name",
                      "kind",
                      "tier",
                      "parent",
                      "roles"
                    ],
                    "properties": {
                      "id": {
                        "type": "string"
                      },
                      "name": {
                        "type": "string"
                      },
                      "kind": {
                        "enum": [
                          "department",
                          "street",
                          "community",
                          "utility",
                          "carrier",
                          "emergency",
                          "leadership"
                        ]
                      },
                      "tier": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 4,
                        "description": "1 community, 2 street/town, 3 county department, 4 county task force"
                      },
                      "parent": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "The unit a tier above it (a community's street), if any"
                      },
                      "roles": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "handler",
                          "deputy_head",
                          "head",
                          "county_leader"
                        ],
                        "properties": {
                          "handler": {
                            "type": "string",
                            "description": "Works the cases; reminders go here"
                          },
                          "deputy_head": {
                            "type": "string"
                          },
                          "head": {
                            "type": "string"
                          },
                          "county_leader": {
                            "type": "string",
                            "description": "The county leader in charge of the unit's field"
                          }
                        }
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
        "operationId": "getV1Units"
      }
    },
    "/v1/units/{id}": {
      "get": {
        "summary": "One unit, with the units under it and the places it answers for",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The unit",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "id",
                    "name",
                    "kind",
                    "tier",
                    "parent",
                    "roles",
                    "children",
                    "regions"
                  ],
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "name": {
                      "type": "string"
                    },
                    "kind": {
                      "enum": [
                        "department",
                        "street",
                        "community",
                        "utility",
                        "carrier",
                        "emergency",
                        "leadership"
                      ]
                    },
                    "tier": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 4,
                      "description": "1 community, 2 street/town, 3 county department, 4 county task force"
                    },
                    "parent": {
                      "type": [
                        "string",
                        "null"
                      ],
                      "description": "The unit a tier above it (a community's street), if any"
                    },
                    "roles": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "handler",
                        "deputy_head",
                        "head",
                        "county_leader"
                      ],
                      "properties": {
                        "handler": {
                          "type": "string",
                          "description": "Works the cases; reminders go here"
                        },
                        "deputy_head": {
                          "type": "string"
                        },
                        "head": {
                          "type": "string"
                        },
                        "county_leader": {
                          "type": "string",
                          "description": "The county leader in charge of the unit's field"
                        }
                      }
                    },
                    "children": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "description": "The units directly under it"
                    },
                    "regions": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "description": "The places it answers for at its own level"
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
        },
        "operationId": "getV1UnitsId"
      }
    },
    "/v1/regions/{code}": {
      "get": {
        "summary": "A place: the places above it, and who answers for it at each tier (DI-6)",
        "description": "Tier 1 its community (a grid's community), 2 its street or town, 3 the county department the catalogue names for `category` in this place (null without a category or such a rule), 4 the county task force. Escalation climbs this list.",
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
            "name": "code",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "category",
            "in": "query",
            "schema": {
              "type": "string",
              "anyOf": [
                {
                  "x-hotline-values": "categories"
                },
                {
                  "maxLength": 0
                }
              ]
            },
            "description": "Empty is the same as absent."
          }
        ],
        "responses": {
          "200": {
            "description": "The place",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "code",
                    "name",
                    "level",
                    "parent",
                    "unit",
                    "chain",
                    "answering"
                  ],
                  "properties": {
                    "code": {
                      "type": "string"
                    },
                    "name": {
                      "type": "string"
                    },
                    "level": {
                      "enum": [
                        "county",
                        "street",
                        "community",
                        "grid"
                      ]
                    },
                    "parent": {
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
                      "description": "The unit answering for the place at its own level (streets, communities)"
                    },
                    "chain": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "code",
                          "name",
                          "level"
                        ],
                        "properties": {
                          "code": {
                            "type": "string"
                          },
                          "name": {
                            "type": "string"
                          },
                          "level": {
                            "enum": [
                              "county",
                              "street",
                              "community",
                              "grid"
                            ]
                          }
                        }
                      },
                      "minItems": 1
                    },
                    "answering": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "tier",
                          "unit",
                          "name",
                          "basis"
                        ],
                        "properties": {
                          "tier": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": 4
                          },
                          "unit": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "name": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "basis": {
                            "enum": [
                              "community",
                              "street",
                              "catalogue",
                              "noCatalogueRule",
                              "taskForce"
                            ]
                          }
                        }
                      },
                      "minItems": 4,
                      "maxItems": 4
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
        },
        "operationId": "getV1RegionsCode"
      }
    },
    "/v1/assignments/{id}/pause": {
      "post": {
        "summary": "Pause while the citizen supplies what is missing (一次告知); supervision stops the clock",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "description": "Only an accepted assignment; 409 names the current state otherwise.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "missing"
                ],
                "properties": {
                  "missing": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$",
                    "description": "Everything the citizen must supply, told all at once"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The assignment after the action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdPause"
      }
    },
    "/v1/assignments/{id}/resume": {
      "post": {
        "summary": "Resume a paused assignment",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "description": "Only a paused assignment.",
        "responses": {
          "200": {
            "description": "The assignment after the action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdResume"
      }
    },
    "/v1/assignments/{id}/extension": {
      "post": {
        "summary": "The lead unit asks for a later reply due",
        "security": [
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "description": "An accepted or paused assignment, no request waiting, fewer approved than the county's max_extensions; the centre decides.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "until",
                  "reason"
                ],
                "properties": {
                  "until": {
                    "type": "string",
                    "format": "date-time",
                    "description": "The reply due asked for, in the future"
                  },
                  "reason": {
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
          "200": {
            "description": "The assignment after the action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdExtension"
      }
    },
    "/v1/assignments/{id}/extension/decision": {
      "post": {
        "summary": "The centre approves (the asked due becomes the reply due) or rejects an extension",
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
                  "approved"
                ],
                "properties": {
                  "approved": {
                    "type": "boolean"
                  },
                  "note": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The assignment after the action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdExtensionDecision"
      }
    },
    "/v1/assignments/{id}/return": {
      "post": {
        "summary": "The lead unit asks to give the ticket back (退回); a dispute opens in the centre's queue",
        "security": [
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "description": "From dispatched, accepted or paused; the unit keeps the ticket, and its clock runs, until the centre decides.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "reason"
                ],
                "properties": {
                  "reason": {
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
          "200": {
            "description": "The assignment after the action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdReturn"
      }
    },
    "/v1/disputes": {
      "get": {
        "summary": "The centre's dispute queue (oldest first, at most 500)",
        "security": [
          {
            "centreToken": []
          }
        ],
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "open",
                "approved",
                "rejected",
                ""
              ],
              "default": "open"
            },
            "description": "Empty is the same as absent."
          }
        ],
        "responses": {
          "200": {
            "description": "Disputes",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Dispute"
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
        "operationId": "getV1Disputes"
      }
    },
    "/v1/disputes/{id}/decision": {
      "post": {
        "summary": "The centre approves (re-dispatch to another lead, with assisting units) or rejects a return",
        "description": "Approved: the returned assignment ends, its deadlines stop, and the ticket is dispatched to `lead_unit` in the same round (by `dispute`). Rejected: the unit keeps it, in the state it was in. `panel` records the three-party review.",
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
                  "approved"
                ],
                "properties": {
                  "approved": {
                    "type": "boolean"
                  },
                  "lead_unit": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "Required when approved; not the unit that returned it",
                    "anyOf": [
                      {
                        "x-hotline-values": "units"
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "assisting_units": {
                    "type": [
                      "array",
                      "null"
                    ],
                    "items": {
                      "type": "string",
                      "x-hotline-values": "units"
                    },
                    "uniqueItems": true,
                    "maxItems": 20
                  },
                  "note": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  },
                  "panel": {
                    "type": [
                      "object",
                      "null"
                    ],
                    "required": [
                      "centre",
                      "staffing_office",
                      "justice_bureau",
                      "conclusion"
                    ],
                    "properties": {
                      "centre": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 2000,
                        "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                      },
                      "staffing_office": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 2000,
                        "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                      },
                      "justice_bureau": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 2000,
                        "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                      },
                      "conclusion": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 2000,
                        "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                      }
                    }
                  },
                  "boundary_rule": {
                    "type": [
                      "object",
                      "null"
                    ],
                    "description": "Approved only: add the decision to the boundary list for the ticket's category in this region (null region: anywhere)",
                    "properties": {
                      "region": {
                        "anyOf": [
                          {
                            "type": "null"
                          },
                          {
                            "type": "string",
                            "x-hotline-values": "regions"
                          }
                        ]
                      }
                    }
                  },
                  "joint_units": {
                    "type": [
                      "array",
                      "null"
                    ],
                    "uniqueItems": true,
                    "maxItems": 9,
                    "description": "Approved to several joint leads: the leads besides `lead_unit`, each with its own assignment (the lead is left out if listed). Only with an approved return; never the returning unit.",
                    "items": {
                      "type": "string",
                      "x-hotline-values": "units"
                    }
                  }
                },
                "if": {
                  "properties": {
                    "approved": {
                      "const": true
                    }
                  }
                },
                "then": {
                  "required": [
                    "lead_unit"
                  ],
                  "properties": {
                    "lead_unit": {
                      "type": "string"
                    }
                  }
                },
                "else": {
                  "properties": {
                    "lead_unit": {
                      "type": "null"
                    },
                    "assisting_units": {
                      "anyOf": [
                        {
                          "type": "null"
                        },
                        {
                          "type": "array",
                          "maxItems": 0
                        }
                      ]
                    },
                    "boundary_rule": {
                      "type": "null"
                    }
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The returned assignment after the decision",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1DisputesIdDecision"
      }
    },
    "/v1/assignments/{id}/escalation": {
      "post": {
        "summary": "The lead unit blows the whistle (吹哨): asks the centre to escalate one tier up",
        "security": [
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "description": "From dispatched, accepted or paused; the unit works on until the centre escalates or rejects.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "reason"
                ],
                "properties": {
                  "reason": {
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
          "200": {
            "description": "The assignment after the action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdEscalation"
      }
    },
    "/v1/assignments/{id}/escalate": {
      "post": {
        "summary": "The centre escalates the ticket to the next tier that answers for its place and category (a unit's request approved, or on its own)",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "reason": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The assignment after the action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdEscalate",
        "description": "The assignment ends `escalated`; the next tier's unit (community → street/town → county department by the catalogue → county task force; a tier with nobody is passed over) leads a new assignment in the same round, this unit assisting. 409 at the top tier."
      }
    },
    "/v1/assignments/{id}/escalation/rejection": {
      "post": {
        "summary": "The centre rejects a unit's escalation request",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "reason": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "maxLength": 2000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The assignment after the action",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Assignment"
                }
              }
            },
            "links": {
              "GetAssignment": {
                "operationId": "getV1AssignmentsId",
                "parameters": {
                  "id": "$response.body#/id"
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
          }
        },
        "operationId": "postV1AssignmentsIdEscalationRejection",
        "description": "The unit keeps leading; 409 when no request waits."
      }
    },
    "/v1/tickets/{id}/history": {
      "get": {
        "summary": "A ticket's whole path through dispatch (DI-8)",
        "description": "A unit sees the history of tickets it leads or led, or assists or assisted; others are 404.",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The path",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "ticket",
                    "status",
                    "round",
                    "first_unit",
                    "events"
                  ],
                  "properties": {
                    "ticket": {
                      "type": "string"
                    },
                    "status": {
                      "type": "string"
                    },
                    "round": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "first_unit": {
                      "type": [
                        "string",
                        "null"
                      ],
                      "description": "The first unit the ticket was dispatched to (首接单位), accountable to the end"
                    },
                    "events": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "seq",
                          "at",
                          "type",
                          "data"
                        ],
                        "properties": {
                          "seq": {
                            "type": "integer",
                            "minimum": 1
                          },
                          "at": {
                            "type": "string"
                          },
                          "type": {
                            "type": "string"
                          },
                          "data": {
                            "type": "object"
                          }
                        }
                      },
                      "description": "Dispatch's events about the ticket, oldest first: rounds, units, requests, decisions, who and when"
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
        },
        "operationId": "getV1TicketsIdHistory"
      }
    },
    "/v1/notifications": {
      "get": {
        "summary": "Notifications: emergencies a linked unit must know of at once (DI-7); a unit sees its own, the centre all (newest first, at most 500)",
        "security": [
          {
            "centreToken": []
          },
          {
            "unitToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "Notifications",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "unit",
                      "ticket",
                      "kind",
                      "assignment",
                      "lead_unit",
                      "category",
                      "at"
                    ],
                    "properties": {
                      "unit": {
                        "type": "string"
                      },
                      "ticket": {
                        "type": "string"
                      },
                      "kind": {
                        "enum": [
                          "emergency"
                        ]
                      },
                      "assignment": {
                        "type": "string"
                      },
                      "lead_unit": {
                        "type": "string"
                      },
                      "category": {
                        "type": "string"
                      },
                      "at": {
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
        },
        "operationId": "getV1Notifications"
      }
    },
    "/v1/catalogue/rules": {
      "get": {
        "summary": "The catalogue's rules: the boundary list first (added by dispute decisions; retired ones marked), then the configured rules, each list most specific first",
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
            "name": "category",
            "in": "query",
            "schema": {
              "type": "string",
              "anyOf": [
                {
                  "x-hotline-values": "categories"
                },
                {
                  "maxLength": 0
                }
              ]
            },
            "description": "Empty is the same as absent."
          },
          {
            "name": "region",
            "in": "query",
            "schema": {
              "type": "string",
              "anyOf": [
                {
                  "x-hotline-values": "regions"
                },
                {
                  "maxLength": 0
                }
              ]
            },
            "description": "Rules covering this place. Empty is the same as absent."
          }
        ],
        "responses": {
          "200": {
            "description": "Rules",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/CatalogueRule"
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
        "operationId": "getV1CatalogueRules"
      }
    },
    "/v1/catalogue/route": {
      "get": {
        "summary": "Dry run: which rule would route a ticket of this category and place, and why (null: the manual queue)",
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
            "name": "category",
            "in": "query",
            "schema": {
              "type": "string",
              "x-hotline-values": "categories"
            },
            "description": "The ticket's category.",
            "required": true
          },
          {
            "name": "region",
            "in": "query",
            "schema": {
              "type": "string",
              "anyOf": [
                {
                  "x-hotline-values": "regions"
                },
                {
                  "maxLength": 0
                }
              ]
            },
            "description": "Rules covering this place. Empty is the same as absent."
          }
        ],
        "responses": {
          "200": {
            "description": "The routing",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "category",
                    "region",
                    "rule",
                    "reason"
                  ],
                  "properties": {
                    "category": {
                      "type": "string"
                    },
                    "region": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "rule": {
                      "anyOf": [
                        {
                          "type": "null"
                        },
                        {
                          "$ref": "#/components/schemas/CatalogueRule"
                        }
                      ]
                    },
                    "reason": {
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
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1CatalogueRoute"
      }
    },
    "/v1/catalogue/rules/{id}/retire": {
      "post": {
        "summary": "Retire a boundary rule (configured rules change with the configuration)",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The retired rule",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CatalogueRule"
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
        },
        "operationId": "postV1CatalogueRulesIdRetire"
      }
    },
    "/v1/assignments/{id}/assist": {
      "post": {
        "summary": "An assisting unit answers its 24-hour obligation, once, with what it contributes to the lead's reply",
        "security": [
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "contribution": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "maxLength": 5000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The response",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "unit",
                    "responded_at",
                    "contribution"
                  ],
                  "properties": {
                    "unit": {
                      "type": "string"
                    },
                    "responded_at": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "contribution": {
                      "type": [
                        "string",
                        "null"
                      ]
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
          }
        },
        "operationId": "postV1AssignmentsIdAssist"
      }
    },
    "/v1/assignments/{id}/assists": {
      "get": {
        "summary": "The assisting units of an assignment and whether each has responded (the lead, the assisting units, the centre)",
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
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Assisting units",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "unit",
                      "responded_at",
                      "contribution"
                    ],
                    "properties": {
                      "unit": {
                        "type": "string"
                      },
                      "responded_at": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "contribution": {
                        "type": [
                          "string",
                          "null"
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
          }
        },
        "operationId": "getV1AssignmentsIdAssists"
      }
    }
  }
}
"""#
}
