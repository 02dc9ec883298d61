/// `plan.json` files as the version before the plan/preflight split wrote them (issue 10), for the
/// compatibility tests: taken from real runs (the demo's single-node upgrade and a 2-node run on the
/// node bed), long strings and the manual commands shortened, nodes cut to two. Keys as written.
enum OldPlanFiles {
    /// `scripts/demo.sh`'s run: one node, `metaEndpoint`/`metaEndpointParts` and `route`/`routeDetails` both there.
    static let singleNode = #"""
        {
          "checks": [
            {
              "detail": "The Docker engine answers.",
              "name": "docker",
              "status": "pass"
            },
            {
              "detail": "oms_demo_322 (65a5091455d9) runs oms-fixture:3.2.2 with the OMS layout; config.yaml at /va",
              "name": "old-container",
              "status": "pass"
            },
            {
              "detail": "Every mount source of oms_demo_322 exists on this host.",
              "name": "mounts",
              "status": "pass"
            },
            {
              "detail": "3.2.2-CE -> 3.3.0-CE is a documented upgrade route.",
              "name": "route",
              "status": "pass"
            },
            {
              "detail": "The image oms-fixture:3.3.0 is present locally.",
              "name": "image",
              "status": "pass"
            },
            {
              "detail": "The new container oms_demo_330 will use the same config.yaml and data mounts.",
              "name": "new-container",
              "status": "pass"
            },
            {
              "detail": "Connected to the metadata database as oms_sandbox@127.0.0.1:3306 (10.11.19-MariaDB-0+deb12",
              "name": "metadata-db",
              "status": "pass"
            },
            {
              "detail": "The databases oms_demo_rm, oms_demo_cm, oms_demo_cm_hb exist.",
              "name": "databases",
              "status": "pass"
            },
            {
              "detail": "oms_demo_cm_hb.heatbeat_sequence has about 100006 rows to prune to one.",
              "name": "heartbeat",
              "status": "pass"
            },
            {
              "detail": "oms_sandbox has the privileges the upgrade needs.",
              "name": "privileges",
              "status": "pass"
            },
            {
              "detail": "HA is off.",
              "name": "ha",
              "status": "pass"
            },
            {
              "detail": "No other upgrade of this deployment is in progress.",
              "name": "lock",
              "status": "pass"
            },
            {
              "detail": "The work directory /tmp/ci-clone/.sandbox/demo-work has room for the backups.",
              "name": "free-space",
              "status": "pass"
            }
          ],
          "configPath": "/var/lib/oms-fixture/oms_demo_322/config.yaml",
          "consoleURL": "http://127.0.0.1:8089",
          "createdAt": "2026-11-29T20:26:13Z",
          "databases": {
            "cm": "oms_demo_cm",
            "cmHeartbeat": "oms_demo_cm_hb",
            "rm": "oms_demo_rm"
          },
          "differencesFromGuide": [
            "No SSL pair mounted: the old container has none, so the console stays HTTP (pass --ssl-cer",
            "--privileged=true omitted: the old container runs unprivileged and the new one inherits th"
          ],
          "downtimeEstimateSeconds": 107,
          "haEnabled": false,
          "heartbeatRowsToPrune": 100005,
          "manualPrelude": [
            "(umask 077 && printf '%s\\n' '[client]' 'host=\"127.0.0.1\"' port=3306 'user=\"oms_sandbox\"' >"
          ],
          "metaEndpoint": "oms_sandbox@127.0.0.1:3306",
          "metaEndpointParts": {
            "host": "127.0.0.1",
            "port": 3306,
            "user": "oms_sandbox"
          },
          "newConsoleURL": "http://127.0.0.1:8089",
          "newContainer": {
            "capAdd": [],
            "env": [
              {
                "name": "OMS_HOST_IP",
                "value": "127.0.0.1"
              }
            ],
            "image": "oms-fixture:3.3.0",
            "interactive": true,
            "labels": {},
            "mounts": [
              {
                "destination": "/home/admin/conf/config.yaml",
                "readOnly": false,
                "source": "/var/lib/oms-fixture/oms_demo_322/config.yaml",
                "type": "bind"
              },
              {
                "destination": "/home/admin/logs",
                "readOnly": false,
                "source": "/var/lib/oms-fixture/oms_demo_322/oms_logs",
                "type": "bind"
              },
              {
                "destination": "/home/ds/store",
                "readOnly": false,
                "source": "/var/lib/oms-fixture/oms_demo_322/oms_store",
                "type": "bind"
              },
              {
                "destination": "/home/ds/run",
                "readOnly": false,
                "source": "/var/lib/oms-fixture/oms_demo_322/oms_run",
                "type": "bind"
              }
            ],
            "name": "oms_demo_330",
            "networkMode": "host",
            "pidsLimit": -1,
            "portBindings": [],
            "privileged": false,
            "restartPolicy": {
              "maximumRetryCount": 0,
              "name": "no"
            },
            "tty": true,
            "ulimits": [
              {
                "hard": 65535,
                "name": "nproc",
                "soft": 65535
              }
            ]
          },
          "oldContainer": {
            "id": "65a5091455d99ef521a99b2f95741ca9078b7b0e0cc219afd7b77cf66ec2b327",
            "image": "oms-fixture:3.2.2",
            "name": "oms_demo_322",
            "running": true
          },
          "oldContainerSpec": {
            "capAdd": [],
            "env": [
              {
                "name": "OMS_HOST_IP",
                "value": "127.0.0.1"
              },
              {
                "name": "PATH",
                "value": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
              }
            ],
            "image": "oms-fixture:3.2.2",
            "interactive": true,
            "labels": {
              "oms.fixture.hash": "da38413c069de9fd",
              "oms.fixture.version": "3.2.2"
            },
            "mounts": [
              {
                "destination": "/home/admin/conf/config.yaml",
                "readOnly": false,
                "source": "/var/lib/oms-fixture/oms_demo_322/config.yaml",
                "type": "bind"
              },
              {
                "destination": "/home/admin/logs",
                "readOnly": false,
                "source": "/var/lib/oms-fixture/oms_demo_322/oms_logs",
                "type": "bind"
              },
              {
                "destination": "/home/ds/store",
                "readOnly": false,
                "source": "/var/lib/oms-fixture/oms_demo_322/oms_store",
                "type": "bind"
              },
              {
                "destination": "/home/ds/run",
                "readOnly": false,
                "source": "/var/lib/oms-fixture/oms_demo_322/oms_run",
                "type": "bind"
              }
            ],
            "name": "oms_demo_322",
            "networkMode": "host",
            "portBindings": [],
            "privileged": false,
            "restartPolicy": {
              "maximumRetryCount": 0,
              "name": "no"
            },
            "tty": true,
            "ulimits": [
              {
                "hard": 65535,
                "name": "nproc",
                "soft": 65535
              }
            ]
          },
          "options": {
            "container": "oms_demo_322",
            "dumper": "native",
            "healthTimeout": 600,
            "image": "oms-fixture:3.3.0",
            "initTimeout": 1800,
            "newName": "oms_demo_330",
            "stopTimeout": 60,
            "workDir": "/tmp/ci-clone/.sandbox/demo-work"
          },
          "route": {
            "allNodes": false,
            "from": "3.2.2-CE",
            "haOffDuringUpgrade": false,
            "notes": [
              "The vendor's 3.3.0-CE upgrade guide (shared/seed/oms-ce-3.3.0-upgrade-guide.md)."
            ],
            "to": "3.3.0-CE"
          },
          "routeDetails": {
            "allNodes": false,
            "env": [],
            "from": "3.2.2-CE",
            "haOffDuringUpgrade": false,
            "notes": [
              "The vendor's 3.3.0-CE upgrade guide (shared/seed/oms-ce-3.3.0-upgrade-guide.md)."
            ],
            "to": "3.3.0-CE"
          },
          "sizes": [
            {
              "bytes": 425984,
              "database": "oms_demo_rm",
              "rows": 2364,
              "tables": 6
            },
            {
              "bytes": 147456,
              "database": "oms_demo_cm",
              "rows": 1057,
              "tables": 4
            },
            {
              "bytes": 16384,
              "database": "oms_demo_cm_hb",
              "rows": 100006,
              "tables": 1
            }
          ],
          "steps": [
            {
              "downtime": false,
              "id": "pre-prune",
              "manualCommands": [
                "max=$(mysql --defaults-extra-file=\"$HOME\"/.oms-meta.cnf -N -e 'SELECT MAX(id) FROM `oms_de"
              ],
              "summary": "Prune old heartbeat rows online, while OMS still runs"
            },
            {
              "downtime": false,
              "id": "ha-off",
              "manualCommands": [
                "mysql --defaults-extra-file=\"$HOME\"/.oms-meta.cnf -e 'UPDATE `oms_demo_rm`.`oms_normal_con"
              ],
              "skippedBecause": "HA is not on",
              "summary": "Turn HA off in oms_normal_config (ha.config)"
            },
            {
              "downtime": false,
              "id": "online-copy",
              "manualCommands": [
                "# no manual equivalent: the guide copies nothing while OMS runs (the snapshot below is tak"
              ],
              "summary": "Copy the metadata online into the snapshot databases, capturing changes with triggers"
            },
            {
              "downtime": true,
              "id": "stop-old",
              "manualCommands": [
                "docker stop --time 60 oms_demo_322"
              ],
              "summary": "Stop the old OMS container"
            },
            {
              "downtime": true,
              "id": "catch-up",
              "manualCommands": [
                "mysql --defaults-extra-file=\"$HOME\"/.oms-meta.cnf -e 'CREATE DATABASE `oms_demo_rm__pre_33"
              ],
              "summary": "Catch the snapshot up with the rows changed since the online copy, and prove it"
            },
            {
              "downtime": true,
              "id": "prune",
              "manualCommands": [
                "mysql --defaults-extra-file=\"$HOME\"/.oms-meta.cnf -e 'CREATE TABLE `oms_demo_cm_hb`.`heatb"
              ],
              "summary": "Prune the heartbeat table to its newest row"
            },
            {
              "downtime": true,
              "id": "start-new",
              "manualCommands": [
                "docker run -dit --net host \\\n  -v /var/lib/oms-fixture/oms_demo_322/config.yaml:/home/admi"
              ],
              "summary": "Start the new OMS container on the same mounts"
            },
            {
              "downtime": true,
              "id": "init",
              "manualCommands": [
                "docker exec oms_demo_330 bash /root/docker_init.sh"
              ],
              "summary": "Run the metadata init script (bash /root/docker_init.sh) in the new container"
            },
            {
              "downtime": true,
              "id": "health",
              "manualCommands": [
                "until curl -fsSk http://127.0.0.1:8089/oms/health | grep -q '\"healthy\":true'; do sleep 5; "
              ],
              "summary": "Wait until the new OMS reports healthy"
            },
            {
              "downtime": false,
              "id": "backup",
              "manualCommands": [
                "mkdir -p -m 700 -- /var/backups/oms-330"
              ],
              "summary": "Write the verified SQL backup from the snapshot, while the new OMS serves"
            },
            {
              "downtime": false,
              "id": "ha-on",
              "manualCommands": [
                "mysql --defaults-extra-file=\"$HOME\"/.oms-meta.cnf -e 'UPDATE `oms_demo_rm`.`oms_normal_con"
              ],
              "skippedBecause": "HA is not on",
              "summary": "Turn HA back on"
            }
          ]
        }
        """#

    /// A multi-node run (`apply --node`) with its `nodes`.
    static let multiNode = #"""
        {
          "checks": [
            {
              "detail": "Node 10.213.0.11: mn_try1 runs oms-fixture:3.2.2; config.yaml at /var/lib/oms-nodes/mn_try",
              "name": "node",
              "status": "pass"
            },
            {
              "detail": "Node 10.213.0.12: mn_try1 runs oms-fixture:3.2.2; config.yaml at /var/lib/oms-nodes/mn_try",
              "name": "node",
              "status": "pass"
            },
            {
              "detail": "Node 10.213.0.13: mn_try1 runs oms-fixture:3.2.2; config.yaml at /var/lib/oms-nodes/mn_try",
              "name": "node",
              "status": "pass"
            },
            {
              "detail": "3 node(s) in 1 region(s) agree on the container name, mounts, ports, metadata server and d",
              "name": "topology",
              "status": "pass"
            },
            {
              "detail": "3.2.2-CE -> 3.3.0-CE is a documented upgrade route.",
              "name": "route",
              "status": "pass"
            },
            {
              "detail": "The image oms-fixture:3.3.0 is present on every node.",
              "name": "image",
              "status": "pass"
            },
            {
              "detail": "The new containers will be named oms_330 on every node.",
              "name": "new-container",
              "status": "pass"
            },
            {
              "detail": "Connected to the metadata database as oms_sandbox@10.213.0.1:3306.",
              "name": "metadata-db",
              "status": "pass"
            },
            {
              "detail": "Region cm_location 0: mn_try1_cm_hb_0.heatbeat_sequence exists.",
              "name": "heartbeat-db",
              "status": "pass"
            },
            {
              "detail": "mn_try1_rm.cluster_info and mn_try1_cm.host name the same regions and nodes as the config.",
              "name": "metadata-topology",
              "status": "pass"
            },
            {
              "detail": "The metadata user has the privileges the upgrade needs.",
              "name": "privileges",
              "status": "pass"
            },
            {
              "detail": "No other upgrade of this deployment is in progress.",
              "name": "lock",
              "status": "pass"
            },
            {
              "detail": "HA is off.",
              "name": "ha",
              "status": "pass"
            },
            {
              "detail": "The work directory /tmp/mnwork has room for the backups.",
              "name": "free-space",
              "status": "pass"
            }
          ],
          "configPath": "/var/lib/oms-nodes/mn_try1/omsn1/config.yaml",
          "consoleURL": "http://10.213.0.11:18289",
          "createdAt": "2026-11-29T21:17:55Z",
          "databases": {
            "cm": "mn_try1_cm",
            "cmHeartbeat": "mn_try1_cm_hb_0",
            "otherHeartbeats": [],
            "rm": "mn_try1_rm"
          },
          "differencesFromGuide": [],
          "downtimeEstimateSeconds": 107,
          "haEnabled": false,
          "heartbeatRowsToPrune": 0,
          "manualPrelude": [],
          "metaEndpoint": "oms_sandbox@10.213.0.1:3306",
          "metaEndpointParts": {
            "host": "10.213.0.1",
            "port": 3306,
            "user": "oms_sandbox"
          },
          "newConsoleURL": "http://10.213.0.11:18289",
          "newContainer": {
            "capAdd": [],
            "env": [
              {
                "name": "OMS_HOST_IP",
                "value": "10.213.0.11"
              }
            ],
            "image": "oms-fixture:3.3.0",
            "interactive": true,
            "labels": {},
            "mounts": [
              {
                "destination": "/home/admin/conf/config.yaml",
                "readOnly": false,
                "source": "/var/lib/oms-nodes/mn_try1/omsn1/config.yaml",
                "type": "bind"
              },
              {
                "destination": "/home/admin/logs",
                "readOnly": false,
                "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_logs",
                "type": "bind"
              },
              {
                "destination": "/home/ds/store",
                "readOnly": false,
                "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_store",
                "type": "bind"
              },
              {
                "destination": "/home/ds/run",
                "readOnly": false,
                "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_run",
                "type": "bind"
              }
            ],
            "name": "oms_330",
            "networkMode": "host",
            "pidsLimit": -1,
            "portBindings": [],
            "privileged": false,
            "restartPolicy": {
              "maximumRetryCount": 0,
              "name": "no"
            },
            "tty": true,
            "ulimits": [
              {
                "hard": 65535,
                "name": "nproc",
                "soft": 65535
              }
            ]
          },
          "nodes": [
            {
              "consoleURL": "http://10.213.0.11:18289",
              "endpoint": "unix:///run/omsn/omsn1.sock",
              "ip": "10.213.0.11",
              "location": 0,
              "newConsoleURL": "http://10.213.0.11:18289",
              "newContainer": {
                "capAdd": [],
                "env": [
                  {
                    "name": "OMS_HOST_IP",
                    "value": "10.213.0.11"
                  }
                ],
                "image": "oms-fixture:3.3.0",
                "interactive": true,
                "labels": {},
                "mounts": [
                  {
                    "destination": "/home/admin/conf/config.yaml",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn1/config.yaml",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/admin/logs",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_logs",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/ds/store",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_store",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/ds/run",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_run",
                    "type": "bind"
                  }
                ],
                "name": "oms_330",
                "networkMode": "host",
                "pidsLimit": -1,
                "portBindings": [],
                "privileged": false,
                "restartPolicy": {
                  "maximumRetryCount": 0,
                  "name": "no"
                },
                "tty": true,
                "ulimits": [
                  {
                    "hard": 65535,
                    "name": "nproc",
                    "soft": 65535
                  }
                ]
              },
              "oldContainer": {
                "id": "e9f46bba17241b81dc8878a6744f1508bd2cc96a8e0af1b99edcaaf649f1a5d2",
                "image": "oms-fixture:3.2.2",
                "name": "mn_try1",
                "running": true
              },
              "oldContainerSpec": {
                "capAdd": [],
                "env": [
                  {
                    "name": "OMS_HOST_IP",
                    "value": "10.213.0.11"
                  },
                  {
                    "name": "PATH",
                    "value": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                  }
                ],
                "image": "oms-fixture:3.2.2",
                "interactive": true,
                "labels": {
                  "oms.fixture.hash": "da38413c069de9fd",
                  "oms.fixture.version": "3.2.2"
                },
                "mounts": [
                  {
                    "destination": "/home/admin/conf/config.yaml",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn1/config.yaml",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/admin/logs",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_logs",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/ds/store",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_store",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/ds/run",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_run",
                    "type": "bind"
                  }
                ],
                "name": "mn_try1",
                "networkMode": "host",
                "portBindings": [],
                "privileged": false,
                "restartPolicy": {
                  "maximumRetryCount": 0,
                  "name": "no"
                },
                "tty": true,
                "ulimits": [
                  {
                    "hard": 65535,
                    "name": "nproc",
                    "soft": 65535
                  }
                ]
              },
              "runsInit": true
            },
            {
              "consoleURL": "http://10.213.0.12:18289",
              "endpoint": "unix:///run/omsn/omsn2.sock",
              "ip": "10.213.0.12",
              "location": 0,
              "newConsoleURL": "http://10.213.0.12:18289",
              "newContainer": {
                "capAdd": [],
                "env": [
                  {
                    "name": "OMS_HOST_IP",
                    "value": "10.213.0.12"
                  }
                ],
                "image": "oms-fixture:3.3.0",
                "interactive": true,
                "labels": {},
                "mounts": [
                  {
                    "destination": "/home/admin/conf/config.yaml",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn2/config.yaml",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/admin/logs",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn2/oms_logs",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/ds/store",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn2/oms_store",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/ds/run",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn2/oms_run",
                    "type": "bind"
                  }
                ],
                "name": "oms_330",
                "networkMode": "host",
                "pidsLimit": -1,
                "portBindings": [],
                "privileged": false,
                "restartPolicy": {
                  "maximumRetryCount": 0,
                  "name": "no"
                },
                "tty": true,
                "ulimits": [
                  {
                    "hard": 65535,
                    "name": "nproc",
                    "soft": 65535
                  }
                ]
              },
              "oldContainer": {
                "id": "0f10bedc68e554f76eb9aee21979178feb8097de0977da25499cbb4fb9fc202c",
                "image": "oms-fixture:3.2.2",
                "name": "mn_try1",
                "running": true
              },
              "oldContainerSpec": {
                "capAdd": [],
                "env": [
                  {
                    "name": "OMS_HOST_IP",
                    "value": "10.213.0.12"
                  },
                  {
                    "name": "PATH",
                    "value": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                  }
                ],
                "image": "oms-fixture:3.2.2",
                "interactive": true,
                "labels": {
                  "oms.fixture.hash": "da38413c069de9fd",
                  "oms.fixture.version": "3.2.2"
                },
                "mounts": [
                  {
                    "destination": "/home/admin/conf/config.yaml",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn2/config.yaml",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/admin/logs",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn2/oms_logs",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/ds/store",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn2/oms_store",
                    "type": "bind"
                  },
                  {
                    "destination": "/home/ds/run",
                    "readOnly": false,
                    "source": "/var/lib/oms-nodes/mn_try1/omsn2/oms_run",
                    "type": "bind"
                  }
                ],
                "name": "mn_try1",
                "networkMode": "host",
                "portBindings": [],
                "privileged": false,
                "restartPolicy": {
                  "maximumRetryCount": 0,
                  "name": "no"
                },
                "tty": true,
                "ulimits": [
                  {
                    "hard": 65535,
                    "name": "nproc",
                    "soft": 65535
                  }
                ]
              },
              "runsInit": false
            }
          ],
          "oldContainer": {
            "id": "e9f46bba17241b81dc8878a6744f1508bd2cc96a8e0af1b99edcaaf649f1a5d2",
            "image": "oms-fixture:3.2.2",
            "name": "mn_try1",
            "running": true
          },
          "oldContainerSpec": {
            "capAdd": [],
            "env": [
              {
                "name": "OMS_HOST_IP",
                "value": "10.213.0.11"
              },
              {
                "name": "PATH",
                "value": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
              }
            ],
            "image": "oms-fixture:3.2.2",
            "interactive": true,
            "labels": {
              "oms.fixture.hash": "da38413c069de9fd",
              "oms.fixture.version": "3.2.2"
            },
            "mounts": [
              {
                "destination": "/home/admin/conf/config.yaml",
                "readOnly": false,
                "source": "/var/lib/oms-nodes/mn_try1/omsn1/config.yaml",
                "type": "bind"
              },
              {
                "destination": "/home/admin/logs",
                "readOnly": false,
                "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_logs",
                "type": "bind"
              },
              {
                "destination": "/home/ds/store",
                "readOnly": false,
                "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_store",
                "type": "bind"
              },
              {
                "destination": "/home/ds/run",
                "readOnly": false,
                "source": "/var/lib/oms-nodes/mn_try1/omsn1/oms_run",
                "type": "bind"
              }
            ],
            "name": "mn_try1",
            "networkMode": "host",
            "portBindings": [],
            "privileged": false,
            "restartPolicy": {
              "maximumRetryCount": 0,
              "name": "no"
            },
            "tty": true,
            "ulimits": [
              {
                "hard": 65535,
                "name": "nproc",
                "soft": 65535
              }
            ]
          },
          "options": {
            "container": "mn_try1",
            "dumper": "native",
            "healthTimeout": 600,
            "image": "oms-fixture:3.3.0",
            "initTimeout": 1800,
            "stopTimeout": 60,
            "workDir": "/tmp/mnwork"
          },
          "route": {
            "allNodes": false,
            "from": "3.2.2-CE",
            "haOffDuringUpgrade": false,
            "notes": [
              "The vendor's 3.3.0-CE upgrade guide (shared/seed/oms-ce-3.3.0-upgrade-guide.md)."
            ],
            "to": "3.3.0-CE"
          },
          "routeDetails": {
            "allNodes": false,
            "env": [],
            "from": "3.2.2-CE",
            "haOffDuringUpgrade": false,
            "notes": [
              "The vendor's 3.3.0-CE upgrade guide (shared/seed/oms-ce-3.3.0-upgrade-guide.md)."
            ],
            "to": "3.3.0-CE"
          },
          "sizes": [
            {
              "bytes": 229376,
              "database": "mn_try1_rm",
              "rows": 132,
              "tables": 6
            },
            {
              "bytes": 147456,
              "database": "mn_try1_cm",
              "rows": 21,
              "tables": 4
            },
            {
              "bytes": 65536,
              "database": "mn_try1_cm_hb_0",
              "rows": 1023,
              "tables": 1
            }
          ],
          "steps": [
            {
              "downtime": false,
              "id": "pre-prune",
              "manualCommands": [],
              "summary": "Prune old heartbeat rows online, while OMS still runs"
            },
            {
              "downtime": false,
              "id": "ha-off",
              "manualCommands": [],
              "skippedBecause": "HA is not on",
              "summary": "Turn HA off in oms_normal_config (ha.config)"
            },
            {
              "downtime": false,
              "id": "online-copy",
              "manualCommands": [],
              "summary": "Copy the metadata online into the snapshot databases, capturing changes with triggers"
            },
            {
              "downtime": true,
              "id": "stop-old",
              "manualCommands": [],
              "summary": "Stop the old OMS container"
            },
            {
              "downtime": true,
              "id": "catch-up",
              "manualCommands": [],
              "summary": "Catch the snapshot up with the rows changed since the online copy, and prove it"
            },
            {
              "downtime": true,
              "id": "prune",
              "manualCommands": [],
              "summary": "Prune the heartbeat table to its newest row"
            },
            {
              "downtime": true,
              "id": "start-new",
              "manualCommands": [],
              "summary": "Start the new OMS container on the same mounts"
            },
            {
              "downtime": true,
              "id": "init",
              "manualCommands": [],
              "summary": "Run the metadata init script (bash /root/docker_init.sh) in the new container"
            },
            {
              "downtime": true,
              "id": "health",
              "manualCommands": [],
              "summary": "Wait until the new OMS reports healthy"
            },
            {
              "downtime": false,
              "id": "backup",
              "manualCommands": [],
              "summary": "Write the verified SQL backup from the snapshot, while the new OMS serves"
            },
            {
              "downtime": false,
              "id": "ha-on",
              "manualCommands": [],
              "skippedBecause": "HA is not on",
              "summary": "Turn HA back on"
            }
          ]
        }
        """#
}
