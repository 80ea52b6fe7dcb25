window.YTD.tweets.part0 = [
  { "tweet" : { "id_str" : "11", "created_at" : "Wed Oct 19 20:07:25 +0000 2022", "full_text" : "Hello @Alice and @bob #VeganBeauty", "favorite_count" : "3",
      "entities" : { "hashtags" : [ { "text" : "VeganBeauty", "indices" : [ "27", "39" ] } ], "user_mentions" : [ { "screen_name" : "Alice", "id_str" : "2" }, { "screen_name" : "bob", "id_str" : "3" } ] } } },
  { "tweet" : { "id_str" : "12", "created_at" : "Thu Oct 20 08:00:00 +0000 2022", "full_text" : "@Alice thanks!", "in_reply_to_status_id_str" : "99", "in_reply_to_screen_name" : "Alice",
      "entities" : { "hashtags" : [ ], "user_mentions" : [ { "screen_name" : "Alice", "id_str" : "2" } ] } } },
  { "tweet" : { "id_str" : "13", "created_at" : "Fri Oct 21 08:00:00 +0000 2022", "full_text" : "RT @carol: great thread", "entities" : { "user_mentions" : [ { "screen_name" : "carol", "id_str" : "4" } ] } } },
  { "tweet" : { "created_at" : "Fri Oct 21 09:00:00 +0000 2022", "full_text" : "no id here" } }
]
