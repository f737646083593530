def dropout(input: Tensor,
    p: float=0.5,
    training: bool=True,
    inplace: bool=False) -> Tensor:
  _0 = "dropout probability has to be between 0 and 1, but got {}"
  if torch.lt(p, 0.):
    _1 = True
  else:
    _1 = torch.gt(p, 1.)
  if _1:
    ops.prim.RaiseException(torch.format(_0, p), "builtins.ValueError")
  else:
    pass
  if inplace:
    _2 = torch.dropout_(input, p, training)
  else:
    _2 = torch.dropout(input, p, training)
  return _2
def hardtanh(input: Tensor,
    min_val: float=-1.,
    max_val: float=1.,
    inplace: bool=False) -> Tensor:
  if inplace:
    result0 = torch.hardtanh_(input, min_val, max_val)
    result = result0
  else:
    result1 = torch.hardtanh(input, min_val, max_val)
    result = result1
  return result
